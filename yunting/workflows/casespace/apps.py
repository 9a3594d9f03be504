from django.apps import AppConfig


class CasespaceConfig(AppConfig):
    """案件空间: a realtime group space per case (or per group of similar cases) for parties, lawyers and the court."""

    name = "yunting.workflows.casespace"
    label = "casespace"
    verbose_name = "案件空间"

    def ready(self):
        from yunting.core.efile.intake import register_upload_handler
        from yunting.core.journal.registry import subscribe
        from yunting.kernel.blobs.references import register_blob_reference

        from . import entries
        from .attachments import PURPOSE, space_upload_accepted

        # voice messages and files come in through the one checked intake, then become items of the space
        register_upload_handler(PURPOSE, space_upload_accepted)

        # other workflows (delivery, polls, payouts, broadcasts) post a card into a case's space this way only
        subscribe(entries.CARD_WANTED, "yunting.workflows.casespace.subscriptions.on_card_wanted")
        # members follow the case: a party, lawyer or court officer added to a case joins its space
        subscribe("case.participant_added", "yunting.workflows.casespace.subscriptions.on_participant_added")
        # the case closes: the space's history goes into the e-file as a transcript PDF
        subscribe("case.closed", "yunting.workflows.casespace.subscriptions.on_case_closed")
        subscribe("case.status_changed", "yunting.workflows.casespace.subscriptions.on_case_closed")
        # voice messages, files and the exported transcript are stored bytes
        register_blob_reference("casespace.Attachment", "sha256")
        register_blob_reference("casespace.Space", "transcript_sha256")

from django.apps import AppConfig


class WitnessesConfig(AppConfig):
    """证人在线作证: eligibility rules, applications and objections, the notice, identity twice, the oath, isolation."""

    name = "yunting.workflows.witnesses"
    label = "witnesses"
    verbose_name = "证人在线作证"

    def ready(self):
        from yunting.core.journal.registry import subscribe
        from yunting.kernel.blobs.references import register_blob_reference

        # the signed oath and its strokes are kept by the e-file too, but these rows name them
        register_blob_reference("witnesses.WitnessApplication", "oath_sha256")
        register_blob_reference("witnesses.WitnessApplication", "oath_strokes_sha256")
        # a notice sealed later by the seal holder is served then
        subscribe("papers.sealed", "yunting.workflows.witnesses.services.on_paper_sealed")

from django.apps import AppConfig


class HearingsConfig(AppConfig):
    """庭审: courtrooms, unavailability, planning with the solver, votes, summons, consent, stages, attendance."""

    name = "yunting.workflows.hearings"
    label = "hearings"
    verbose_name = "庭审"

    def ready(self):
        from yunting.core.journal.registry import subscribe
        from yunting.kernel.blobs.references import register_blob_reference
        from yunting.kernel.common.periodic import register_periodic

        from .services import hearing_remind_votes

        # the sealed summons PDF is kept by the e-file too, but this row names it: the sweep must not take it
        register_blob_reference("hearings.Hearing", "summons_sha256")
        # a summons sealed later by the seal holder is served then; a late service warns the judge
        subscribe("papers.sealed", "yunting.workflows.hearings.services.on_paper_sealed")
        subscribe("service.completed", "yunting.workflows.hearings.services.on_service_completed")
        # voters who have not answered get one reminder before the vote closes
        register_periodic("hearings.vote_reminders", 900, hearing_remind_votes)

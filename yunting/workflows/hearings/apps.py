from django.apps import AppConfig


class HearingsConfig(AppConfig):
    """庭审: courtrooms, unavailability, planning with the solver, votes, summons, consent, stages, attendance."""

    name = "yunting.workflows.hearings"
    label = "hearings"
    verbose_name = "庭审"

    def ready(self):
        from yunting.kernel.blobs.references import register_blob_reference

        # the sealed summons PDF is kept by the e-file too, but this row names it: the sweep must not take it
        register_blob_reference("hearings.Hearing", "summons_sha256")

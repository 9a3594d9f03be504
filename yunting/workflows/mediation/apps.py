from django.apps import AppConfig


class MediationConfig(AppConfig):
    """多元解纷: dispute intake, triage, mediators, online mediation, agreements, judicial confirmation, conversion."""

    name = "yunting.workflows.mediation"
    label = "mediation"
    verbose_name = "诉前调解"

    def ready(self):
        from yunting.kernel.blobs.references import register_blob_reference

        register_blob_reference("mediation.Agreement", "pdf_sha256")
        register_blob_reference("mediation.Agreement", "original_sha256")
        register_blob_reference("mediation.AgreementSignature", "pdf_sha256")
        register_blob_reference("mediation.AgreementSignature", "strokes_sha256")

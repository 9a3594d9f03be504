from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    """庭审笔录: the live transcript of a hearing, speech suggestions, review, corrections, signing online."""

    name = "yunting.workflows.transcripts"
    label = "transcripts"
    verbose_name = "庭审笔录"

    def ready(self):
        from yunting.kernel.blobs.references import register_blob_reference

        # the PDF under review (signatures applied so far) and each handwritten signature image
        register_blob_reference("transcripts.Transcript", "pdf_sha256")
        register_blob_reference("transcripts.Signoff", "strokes_sha256")

from django.apps import AppConfig


class EfileConfig(AppConfig):
    name = "yunting.core.efile"
    label = "efile"
    verbose_name = "电子卷宗"

    def ready(self):
        from yunting.core.journal.registry import register_recorder

        from .services import efile_record_documents, efile_record_documents_many

        register_recorder("efile", efile_record_documents, many=efile_record_documents_many)

        from yunting.kernel.common.periodic import register_periodic

        from .intake import register_upload_handler, uploads_check_stuck
        from .services import efile_extract_pending, efile_upload_accepted

        register_periodic("efile.text", 10, efile_extract_pending)
        register_periodic("efile.uploads", 60, uploads_check_stuck)  # checks lost with a crashed worker
        register_upload_handler("efile", efile_upload_accepted)

        from yunting.kernel.blobs.references import register_blob_reference

        register_blob_reference("efile.Document", "blob")
        register_blob_reference("efile.Upload", "document")
        register_blob_reference("efile.UploadPart", "blob")
        # the original photo of a straightened submission, named in the entry (before uploads kept their parts)
        register_blob_reference("journal.JournalEntry", "payload", json_key="source_sha256",
                                where={"kind": "efile.document_submitted"})

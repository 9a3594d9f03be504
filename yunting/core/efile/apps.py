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

        from .services import efile_extract_pending

        register_periodic("efile.text", 10, efile_extract_pending)

from django.apps import AppConfig


class EfileConfig(AppConfig):
    name = "yunting.core.efile"
    label = "efile"
    verbose_name = "电子卷宗"

    def ready(self):
        from yunting.core.journal.registry import register_recorder

        from .services import efile_record_documents

        register_recorder("efile", efile_record_documents)

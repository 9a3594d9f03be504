from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "yunting.core.journal"
    label = "journal"
    verbose_name = "案件日志"

    def ready(self):
        from . import ledger_glue

        ledger_glue.register()

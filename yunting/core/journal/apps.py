from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "yunting.core.journal"
    label = "journal"
    verbose_name = "案件日志"

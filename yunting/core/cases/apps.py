from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yunting.core.cases"
    label = "cases"
    verbose_name = "案件"

from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "yunting.workflows.filing"
    label = "filing"
    verbose_name = "网上立案"

from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "yunting.interfaces.cli"
    label = "cli"

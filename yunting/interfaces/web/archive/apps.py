from django.apps import AppConfig


class WebArchiveConfig(AppConfig):
    name = "yunting.interfaces.web.archive"
    label = "web_archive"

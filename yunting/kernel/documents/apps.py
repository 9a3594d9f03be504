from django.apps import AppConfig


class Config(AppConfig):
    name = "yunting.kernel.documents"
    label = "documents"

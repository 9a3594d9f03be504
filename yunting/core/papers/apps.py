from django.apps import AppConfig


class Config(AppConfig):
    name = "yunting.core.papers"
    label = "papers"

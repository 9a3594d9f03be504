from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yunting.interfaces.api"
    label = "api"

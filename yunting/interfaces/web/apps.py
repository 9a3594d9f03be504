from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "yunting.interfaces.web"
    label = "web"

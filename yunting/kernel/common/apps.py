from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "yunting.kernel.common"
    label = "common"

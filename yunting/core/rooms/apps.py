from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "yunting.core.rooms"
    label = "rooms"
    verbose_name = "在线庭室"

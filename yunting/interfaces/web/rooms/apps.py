from django.apps import AppConfig


class WebRoomsConfig(AppConfig):
    """The virtual courtroom, a case's rooms, invitation links and the operations page."""

    name = "yunting.interfaces.web.rooms"
    label = "web_rooms"

from django.apps import AppConfig


class WebRoomsMediaConfig(AppConfig):
    """Installed so its templates (rooms_media/…) load like any app's."""

    name = "yunting.interfaces.web.rooms_media"
    label = "web_rooms_media"

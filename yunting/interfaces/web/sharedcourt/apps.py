from django.apps import AppConfig


class WebSharedCourtConfig(AppConfig):
    """Installed so its templates (sharedcourt/…) load like any app's."""

    name = "yunting.interfaces.web.sharedcourt"
    label = "web_sharedcourt"

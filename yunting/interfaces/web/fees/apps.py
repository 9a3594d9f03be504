from django.apps import AppConfig


class WebFeesConfig(AppConfig):
    """Installed so its templates (fees/…) and template tags (yunting_fees) load like any app's."""

    name = "yunting.interfaces.web.fees"
    label = "web_fees"

from django.apps import AppConfig


class WebClocksConfig(AppConfig):
    """Installed so its templates (clocks/…) and template tags (clocks_web) load like any app's."""

    name = "yunting.interfaces.web.clocks"
    label = "web_clocks"

from django.apps import AppConfig


class WebScanningConfig(AppConfig):
    """Installed so its templates (scanning/…) load like any app's."""

    name = "yunting.interfaces.web.scanning"
    label = "web_scanning"

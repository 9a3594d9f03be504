from django.apps import AppConfig


class WebFilingConfig(AppConfig):
    """Installed so its templates (filing/…) load like any app's."""

    name = "yunting.interfaces.web.filing"
    label = "web_filing"

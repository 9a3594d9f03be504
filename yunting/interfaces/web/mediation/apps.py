from django.apps import AppConfig


class WebMediationConfig(AppConfig):
    """Installed so its templates (mediation/…) load like any app's."""

    name = "yunting.interfaces.web.mediation"
    label = "web_mediation"

from django.apps import AppConfig


class WebWitnessesConfig(AppConfig):
    """Installed so its templates (witnesses/…) load like any app's."""

    name = "yunting.interfaces.web.witnesses"
    label = "web_witnesses"

from django.apps import AppConfig


class WebHearingsConfig(AppConfig):
    """Installed so its templates (hearings/…) load like any app's."""

    name = "yunting.interfaces.web.hearings"
    label = "web_hearings"

from django.apps import AppConfig


class WebSpaceExtrasConfig(AppConfig):
    """Installed so its templates (spacex/…) load: the case space's deliveries, polls, payouts and broadcasts."""

    name = "yunting.interfaces.web.spacex"
    label = "web_spacex"

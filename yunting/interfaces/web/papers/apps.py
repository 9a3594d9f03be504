from django.apps import AppConfig


class WebPapersConfig(AppConfig):
    """Installed so its templates (papers/…) load like any app's."""

    name = "yunting.interfaces.web.papers"
    label = "web_papers"

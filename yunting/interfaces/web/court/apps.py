from django.apps import AppConfig


class WebCourtConfig(AppConfig):
    """Court administration, assignment and the judges' workbench pages (templates court/…)."""

    name = "yunting.interfaces.web.court"
    label = "web_court"

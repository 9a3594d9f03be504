from django.apps import AppConfig


class WebCasespaceConfig(AppConfig):
    """案件空间 pages: my spaces, a group space from case numbers, the phone-first chat page."""

    name = "yunting.interfaces.web.casespace"
    label = "web_casespace"

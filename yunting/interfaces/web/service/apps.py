from django.apps import AppConfig


class WebServiceConfig(AppConfig):
    """送达 pages: the case's 送达 panel, the service officer's workbench, the SMS secure link, statistics."""

    name = "yunting.interfaces.web.service"
    label = "web_service"

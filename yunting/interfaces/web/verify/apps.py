from django.apps import AppConfig


class VerifyConfig(AppConfig):
    """Optional: the page renders its own templates, so it works whether or not this app is installed."""

    name = "yunting.interfaces.web.verify"
    label = "verify"
    verbose_name = "文件核验"

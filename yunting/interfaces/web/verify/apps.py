from django.apps import AppConfig


class VerifyConfig(AppConfig):
    name = "yunting.interfaces.web.verify"
    label = "verify"
    verbose_name = "文件核验"

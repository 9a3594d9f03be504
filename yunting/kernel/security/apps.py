from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "yunting.kernel.security"
    label = "security"

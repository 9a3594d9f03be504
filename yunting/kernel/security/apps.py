from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "yunting.kernel.security"
    label = "security"

    def ready(self):
        from yunting.kernel.ledger.anchor import register_source

        from .chain import chain_head

        register_source("readlog", lambda: chain_head("readlog"))
        register_source("securityevent", lambda: chain_head("securityevent"))

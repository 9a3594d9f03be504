from django.apps import AppConfig


class WebAccountsConfig(AppConfig):
    """Self-registration of parties and lawyers; installed so its templates (accounts/…) load like any app's."""

    name = "yunting.interfaces.web.accounts"
    label = "web_accounts"

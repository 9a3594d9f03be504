from django.apps import AppConfig


class WebAsynctrialConfig(AppConfig):
    """Installed so its templates (asynctrial/…) load like any app's."""

    name = "yunting.interfaces.web.asynctrial"
    label = "web_asynctrial"

from django.apps import AppConfig


class WebTranscriptsConfig(AppConfig):
    """Installed so its templates (transcripts/…) load like any app's."""

    name = "yunting.interfaces.web.transcripts"
    label = "web_transcripts"

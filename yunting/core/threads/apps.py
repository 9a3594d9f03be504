from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    """Asynchronous exchange on a case: items, visibility, unread marks, content filter (shared capability)."""

    name = "yunting.core.threads"
    label = "threads"
    verbose_name = "异步交流"

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "yunting.kernel.search"
    label = "search"

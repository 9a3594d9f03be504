from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "yunting.core.people"
    label = "people"
    verbose_name = "人员与机构"

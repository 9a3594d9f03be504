from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "yunting.core.people"
    label = "people"
    verbose_name = "人员与机构"

    def ready(self):
        from yunting.kernel.common.memo import invalidate_on

        from .models import Membership, Organisation

        invalidate_on(Membership, Organisation)

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yunting.core.cases"
    label = "cases"
    verbose_name = "案件"

    def ready(self):
        from yunting.kernel.common.memo import invalidate_on

        from .models import Case, Participation, Party

        invalidate_on(Case, Participation, Party)  # the request memo of access_case_for

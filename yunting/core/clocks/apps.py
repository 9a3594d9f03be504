from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "yunting.core.clocks"
    label = "clocks"
    verbose_name = "审限与期限"

    def ready(self):
        from yunting.core.journal.registry import register_recorder
        from yunting.kernel.common.periodic import register_periodic

        from .services import clocks_daily, clocks_record, clocks_record_many

        # the stored index of deadlines follows the journal inside the appending transaction
        register_recorder("clocks", clocks_record, clocks_record_many)
        # once an hour: after midnight (Shanghai) recompute suspended clocks and send each person's digest
        register_periodic("clocks.daily", 3600, clocks_daily)

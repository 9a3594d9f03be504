from django.apps import AppConfig


class AsynctrialConfig(AppConfig):
    """异步审理: consent, integrity pledge, evidence exchange in rounds, cross-examination, settlement, report."""

    name = "yunting.workflows.asynctrial"
    label = "asynctrial"
    verbose_name = "异步审理"

    def ready(self):
        from yunting.kernel.common.periodic import register_periodic

        from .services import asynctrial_remind_due

        # parties whose round deadline is near get an in-app notice and an SMS (once per round and party)
        register_periodic("asynctrial.reminders", 900, asynctrial_remind_due)

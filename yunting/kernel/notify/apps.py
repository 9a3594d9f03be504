from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "yunting.kernel.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self):
        from yunting.kernel.common.periodic import register_periodic

        from .services import outbox_send_due

        # retries of outbox messages (the first attempt is sent right after the writing transaction commits);
        # `yunting serve` runs it in-process, `yunting tick` from cron
        register_periodic("notify.outbox", 15, outbox_send_due)

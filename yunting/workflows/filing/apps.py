from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "yunting.workflows.filing"
    label = "filing"
    verbose_name = "网上立案"

    def ready(self):
        from yunting.kernel.common.periodic import register_periodic

        from .webhooks import webhook_deliver_due

        # retries of institutions' callbacks (the first attempt is sent right after the decision commits)
        register_periodic("filing.webhooks", 30, webhook_deliver_due)

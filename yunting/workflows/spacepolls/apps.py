from django.apps import AppConfig


class SpacePollsConfig(AppConfig):
    """Hearing-time negotiation in the case space: glue over workflows/hearings (propose, vote, confirm) that posts
    the poll card and, once the judge fixes a time, a notice card. No models: the hearing holds the poll."""

    name = "yunting.workflows.spacepolls"
    label = "spacepolls"
    verbose_name = "开庭时间协商"

    def ready(self):
        from yunting.core.journal.registry import subscribe

        subscribe("hearing.confirmed", "yunting.workflows.spacepolls.services.on_hearing_confirmed")

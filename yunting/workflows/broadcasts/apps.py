from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    """直播答疑: a judge's live text session for many cases of one kind (a card in each case's space), members'
    questions moderated, answers published, viewers counted; a public link for outreach sessions (普法直播)."""

    name = "yunting.workflows.broadcasts"
    label = "broadcasts"
    verbose_name = "直播答疑"

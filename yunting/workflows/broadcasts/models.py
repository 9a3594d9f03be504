"""Live Q&A sessions: the session, the cases it is for, the judge's text stream, questions and viewers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BroadcastStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("broadcast", "Not started")
    LIVE = "live", pgettext_lazy("broadcast", "Live")
    ENDED = "ended", pgettext_lazy("broadcast", "Ended")


class QuestionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("broadcast question", "Waiting for moderation")
    PUBLISHED = "published", pgettext_lazy("broadcast question", "Published")
    REJECTED = "rejected", pgettext_lazy("broadcast question", "Not published")


class Broadcast(models.Model):
    """One live session run by a judge."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                             help_text="The judge who runs it.")
    title = models.CharField(_("title"), max_length=100, help_text="e.g. 物业供暖纠纷类案答疑.")
    description = models.CharField(max_length=500, blank=True, help_text="What it is about (shown to viewers).")
    cause = models.ForeignKey("cases.Cause", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="The cause the cases were chosen by, if any.")
    public = models.BooleanField(default=False, help_text="Outreach session (普法直播) with a public link.")
    public_token = models.CharField(max_length=32, unique=True, null=True, blank=True,
                                    help_text="Random key of the public link (only for public sessions).")
    status = models.CharField(max_length=10, choices=BroadcastStatus.choices, default=BroadcastStatus.SCHEDULED,
                              help_text="Not started → live → ended.")
    started_at = models.DateTimeField(null=True, blank=True, help_text="Went live (UTC).")
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Ended (UTC).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class BroadcastCase(models.Model):
    """A case the session is for: its members may watch and ask; its space got a card."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="cases", help_text="Session.")
    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["broadcast", "case"], name="broadcasts_case_once")]


class BroadcastQuestion(models.Model):
    """A viewer's question: moderated by the judge before anyone else sees it."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="questions", help_text="Session.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                               related_name="+", help_text="A member's account; empty for the public.")
    author_label = models.CharField(max_length=40, help_text="What viewers see: 当事人 / 网友 + a short mark.")
    viewer_key = models.CharField(max_length=64, db_index=True, help_text="Hash of the asker (rate limit).")
    text = models.CharField(max_length=300, help_text="The question, after the word filter.")
    status = models.CharField(max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING,
                              help_text="Moderation state.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When moderated (UTC).")
    answered = models.BooleanField(default=False, help_text="The judge answered it in the stream.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]


class BroadcastPost(models.Model):
    """One message of the judge's text stream (an answer, perhaps to a question)."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="posts", help_text="Session.")
    text = models.TextField(help_text="What the judge said.")
    question = models.ForeignKey(BroadcastQuestion, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", help_text="The question it answers.")
    at = models.DateTimeField(auto_now_add=True, help_text="When (UTC).")

    class Meta:
        ordering = ["at", "id"]


class BroadcastViewer(models.Model):
    """A distinct viewer (hashed key) and when they were last seen: the live count is those seen in the last
    seconds, the total those ever seen."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="viewers", help_text="Session.")
    viewer_key = models.CharField(max_length=64, help_text="Hash of the account or the anonymous browser.")
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True, help_text="Last heartbeat (UTC).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["broadcast", "viewer_key"], name="broadcasts_viewer_once")]

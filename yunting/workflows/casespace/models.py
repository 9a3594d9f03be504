"""A case space (案件空间): one realtime group per case, or one for a group of similar cases.

What is said lives in core/threads (one thread per space, on the space's lead case: immutable items, the word
filter, read marks). This app keeps who is in the space and the moderation state the server enforces.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Space(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", pgettext_lazy("case space", "Case")
        GROUP = "group", pgettext_lazy("case space", "Group of cases")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CASE, help_text="One case or a group.")
    title = models.CharField(max_length=200, help_text="Shown at the top of the space.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+",
                              help_text="Court of the cases.")
    lead_case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+",
                                  help_text="The case whose journal and thread hold the space's record.")
    thread = models.OneToOneField("threads.Thread", on_delete=models.RESTRICT, related_name="+",
                                  help_text="Where the items are posted (purpose casespace).")
    all_muted = models.BooleanField(default=False, help_text="全员禁言: only the court side may speak.")
    pinned_item = models.ForeignKey("threads.Item", null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="+", help_text="The pinned notice (an item of kind notice).")
    transcript_sha256 = models.CharField(max_length=64, blank=True, default="",
                                         help_text="The last transcript PDF filed into the e-file.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Who created it (empty: on demand by the system).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case space")

    def __str__(self):
        return self.title


class SpaceCase(models.Model):
    """A case in a space: a case is in at most one space."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="cases", help_text="Space.")
    case = models.OneToOneField("cases.Case", on_delete=models.RESTRICT, related_name="space_link",
                                help_text="Case.")


class Member(models.Model):
    """A person in a space, by role; derived from the cases' participations and kept in sync with them."""

    class Role(models.TextChoices):
        JUDGE = "judge", pgettext_lazy("case space", "Judge")
        ASSISTANT = "assistant", pgettext_lazy("case space", "Judge assistant")
        CLERK = "clerk", pgettext_lazy("case space", "Clerk")
        PARTY = "party", pgettext_lazy("case space", "Party")
        LAWYER = "lawyer", pgettext_lazy("case space", "Lawyer")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="members", help_text="Space.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                             help_text="Who.")
    role = models.CharField(max_length=12, choices=Role.choices, help_text="Role in the space.")
    label = models.CharField(max_length=200, help_text="Name and role shown beside what they say.")
    muted_until = models.DateTimeField(null=True, blank=True, help_text="Muted until then (UTC).")
    mute_reason = models.CharField(max_length=200, blank=True, default="", help_text="Why muted.")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Removed by the judge (final).")
    removed_reason = models.CharField(max_length=200, blank=True, default="", help_text="Why removed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("space member")
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="casespace_member_unique")]
        indexes = [models.Index(fields=["user", "space"])]

    @property
    def court_side(self) -> bool:
        return self.role in (self.Role.JUDGE, self.Role.ASSISTANT, self.Role.CLERK)

    @property
    def moderator(self) -> bool:
        return self.role in (self.Role.JUDGE, self.Role.ASSISTANT)


class Attachment(models.Model):
    """A voice message or a file posted in a space, taken in through the checked intake."""

    class Kind(models.TextChoices):
        VOICE = "voice", pgettext_lazy("case space", "Voice message")
        FILE = "file", pgettext_lazy("case space", "File")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="attachments", help_text="Space.")
    kind = models.CharField(max_length=8, choices=Kind.choices, help_text="Voice or file.")
    upload = models.OneToOneField("efile.Upload", on_delete=models.RESTRICT, related_name="+",
                                  help_text="The checked upload it came from.")
    sha256 = models.CharField(max_length=64, help_text="Stored bytes.")
    mime_type = models.CharField(max_length=100, help_text="Proved by magic bytes.")
    filename = models.CharField(max_length=255, blank=True, default="", help_text="As sent.")
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes.")
    duration_s = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Voice: seconds (≤ 60).")
    item = models.OneToOneField("threads.Item", null=True, blank=True, on_delete=models.RESTRICT,
                                related_name="+", help_text="The item that posted it.")
    created_at = models.DateTimeField(auto_now_add=True)

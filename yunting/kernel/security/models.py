from django.db import models
from django.utils import timezone


class ReadLog(models.Model):
    """Who read which case, document or personal record, when and through which channel. Append-only (triggers)
    and hash-chained (`seq`, `chain`: kernel.security.chain), so a deleted or altered row is found by the audit."""

    user_id = models.BigIntegerField(null=True, help_text="Reader's user id (kernel knows no user model).")
    username = models.CharField(max_length=150, help_text="Reader's username at the time.")
    action = models.CharField(max_length=40, help_text="e.g. case.view, document.view, efile.download.")
    case_id = models.BigIntegerField(null=True, blank=True, help_text="Case concerned, if any.")
    object_type = models.CharField(max_length=40, blank=True, help_text="e.g. document, party, user.")
    object_id = models.CharField(max_length=64, blank=True, help_text="Id of the object read.")
    channel = models.CharField(max_length=10, help_text="web or api.")
    ip = models.GenericIPAddressField(null=True, blank=True, help_text="Client address.")
    at = models.DateTimeField(default=timezone.now, db_index=True, help_text="UTC.")
    seq = models.BigIntegerField(null=True, blank=True, unique=True,
                                 help_text="1, 2, 3 … with no gap (empty for rows written before chaining).")
    chain = models.CharField(max_length=64, blank=True,
                             help_text="HMAC-SHA256 over the previous row's chain and this row (audit key).")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case_id", "at"]), models.Index(fields=["user_id", "at"])]


class SecurityEvent(models.Model):
    """Security-relevant acts outside any case: an administrator unlocking a locked-out account or address, for
    instance. Append-only (triggers) and hash-chained like the read log."""

    kind = models.CharField(max_length=40, help_text="e.g. login.unlocked.")
    subject = models.CharField(max_length=200, help_text="What the act concerned: a username or an address.")
    actor = models.CharField(max_length=150, help_text="Who did it: an administrator's username, or the operator.")
    details = models.JSONField(default=dict, blank=True, help_text="What else was recorded (reason, counts).")
    at = models.DateTimeField(default=timezone.now, db_index=True, help_text="UTC.")
    seq = models.BigIntegerField(null=True, blank=True, unique=True, help_text="1, 2, 3 … with no gap.")
    chain = models.CharField(max_length=64, blank=True, help_text="HMAC-SHA256 chain value (audit key).")

    class Meta:
        ordering = ["-at", "-id"]


class ChainHead(models.Model):
    """The last seq and chain value of each hash-chained table, bumped in the inserting transaction so numbers
    stay gap-free (a rolled-back insert rolls its number back too)."""

    name = models.CharField(max_length=40, primary_key=True, help_text="readlog or securityevent.")
    seq = models.BigIntegerField(default=0, help_text="Last seq handed out.")
    head = models.CharField(max_length=64, default="0" * 64, help_text="Chain value of that row.")

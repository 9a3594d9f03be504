from django.db import models
from django.utils.translation import gettext_lazy as _

from yunting.kernel.security.fields import EncryptedTextField


class OutboxMessage(models.Model):
    """One message to the outside world, written in the transaction of the act that needs it (so accepted input
    never loses its message, and a rolled-back act sends nothing), then sent after commit and retried with
    backoff by the periodic job `notify.outbox` until sent or out of attempts."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.SMS,
                               help_text="How it travels.")
    recipient = EncryptedTextField(help_text="Phone number (or address) it goes to; encrypted at rest.")
    recipient_masked = models.CharField(max_length=32, help_text="The recipient as shown on screens: 138****1234.")
    body = EncryptedTextField(help_text="The text; encrypted at rest because it may carry a one-time code.")
    purpose = models.CharField(max_length=40, help_text="Why it is sent, e.g. otp:register.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, help_text="Stage.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Sending attempts so far.")
    next_attempt_at = models.DateTimeField(help_text="When to try next (pending only).")
    send_before = models.DateTimeField(null=True, blank=True,
                                       help_text="After this it is useless (an expired code): failed, not sent.")
    last_error = models.TextField(blank=True, help_text="Last sending failure, for operators.")
    provider_message_id = models.CharField(max_length=100, blank=True, help_text="The gateway's id once sent.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the gateway accepted it.")

    class Meta:
        verbose_name = _("outbox message")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.channel} → {self.recipient_masked} ({self.status})"


class PhoneVerification(models.Model):
    """A one-time code sent to a phone to prove its holder is the one registering (or confirming an act).

    The code itself is never stored: only a keyed hash with a per-row salt. Valid for a few minutes, dead after
    a few wrong guesses, used once."""

    phone_index = models.CharField(max_length=64, db_index=True,
                                   help_text="Keyed blind index of the phone number; the number itself is not kept.")
    purpose = models.CharField(max_length=40, help_text="What the code proves, e.g. register.")
    code_salt = models.CharField(max_length=32, help_text="Random salt of the code hash.")
    code_hash = models.CharField(max_length=64, help_text="HMAC-SHA256 of salt and code; never the code itself.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Wrong guesses so far.")
    created_at = models.DateTimeField(help_text="When the code was issued.")
    expires_at = models.DateTimeField(help_text="After this the code is refused.")
    consumed_at = models.DateTimeField(null=True, blank=True, help_text="When the code was used; once only.")
    message = models.OneToOneField(OutboxMessage, on_delete=models.RESTRICT, related_name="verification",
                                   help_text="The SMS that carried the code.")

    class Meta:
        verbose_name = _("phone verification")
        indexes = [models.Index(fields=["phone_index", "purpose", "created_at"])]

    def __str__(self):
        return f"{self.purpose} · {self.created_at:%Y-%m-%d %H:%M}"

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JournalEntry(models.Model):
    """One act on a case. Append-only: UPDATE and DELETE are refused by database triggers (migration 0002)."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="journal", help_text="Case.",
                             db_index=False)  # (case, seq) serves it
    seq = models.PositiveIntegerField(help_text="1, 2, 3 … within the case.")
    kind = models.CharField(_("kind"), max_length=64, help_text="Dotted entry kind, e.g. filing.accepted.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
        help_text="Who acted; empty for the system.",
    )
    actor_label = models.CharField(max_length=200, blank=True, help_text="Actor's name at the time, for display.")
    payload = models.JSONField(default=dict, help_text="Structured facts of the act.")
    document_hashes = models.JSONField(default=list, help_text="SHA-256 (hex) of each document the act produced.")
    recorded_at = models.DateTimeField(_("recorded at"), help_text="UTC time of the act.")
    prev_hash = models.CharField(max_length=64, help_text="Hash of the previous entry of the case (zeros for the first).")
    entry_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256(prev_hash ‖ canonical JSON).")
    salt = models.CharField(
        max_length=64, help_text="Random salt for the public ledger commitment; kept for authorised auditors."
    )

    class Meta:
        verbose_name = _("journal entry")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="journal_case_seq_unique")]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["recorded_at"])]

    def __str__(self):
        return f"{self.case_id}#{self.seq} {self.kind}"


class Delivery(models.Model):
    """One (subscriber, entry) pair: the journal doubles as an outbox, and this row makes delivery idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        FAILED = "failed"

    entry = models.ForeignKey(JournalEntry, on_delete=models.RESTRICT, related_name="deliveries", help_text="Entry.")
    subscriber = models.CharField(max_length=200, help_text="Dotted path of the handler.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, help_text="State.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times tried.")
    last_error = models.TextField(blank=True, help_text="Last failure, for operators.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "subscriber"], name="delivery_unique")]
        indexes = [models.Index(fields=["status"])]

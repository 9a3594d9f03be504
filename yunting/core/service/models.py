"""Service of documents: tasks in the service centre's queue, the attempts made on them (append-only), the
address history across all cases, consents to electronic service and the secure links SMS service sends."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Channel, ConfirmedBy, ConsentForm, ContactKind, ContactSource, Outcome, TaskStatus
from .errors import AttemptImmutable


class ServiceTask(models.Model):
    """Serving one set of documents on one recipient of one case, through the channels of its plan in turn."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="service_tasks",
                             help_text="Case the documents belong to.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+",
                              help_text="The case's court: its service centre works the task.")
    division = models.ForeignKey("courts.Division", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", help_text="The case's division when requested, for statistics.")
    recipient = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="service_tasks",
                                  help_text="受送达人.")
    identity_key = models.CharField(max_length=64, db_index=True,
                                    help_text="Blind index of the recipient's ID number or credit code: the key of "
                                              "the address history.")
    document_ids = models.JSONField(default=list, help_text="E-file document ids served, in order.")
    documents = models.JSONField(default=list, help_text="[{id, title, kind, sha256}] as requested.")
    document_kind = models.CharField(max_length=20, default="other",
                                     help_text="What is served for the deadlines (complaint, judgment, ruling, "
                                               "summons, fee_notice, other).")
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING,
                              help_text="Stage.")
    plan = models.JSONField(default=list, help_text="[{channel, reason}] in the order to try.")
    plan_index = models.PositiveSmallIntegerField(default=0, help_text="Position in the plan being tried.")
    channel_due_at = models.DateTimeField(null=True, blank=True,
                                          help_text="When the current channel times out and the next is tried.")
    due_on = models.DateField(_("deadline"), null=True, blank=True, help_text="Serve by this day.")
    foreign = models.BooleanField(default=False, help_text="Foreign-related (longer announcement period).")
    served_on = models.DateField(_("served on"), null=True, blank=True,
                                 help_text="Legal date of service (deemed date for announcements).")
    served_at = models.DateTimeField(null=True, blank=True, help_text="Time of the attempt that served.")
    served_channel = models.CharField(max_length=16, choices=Channel.choices, blank=True,
                                      help_text="Channel that served.")
    request_key = models.CharField(max_length=40, blank=True, db_index=True,
                                   help_text="Tasks created by one request share it (tells when all are served).")
    report_sha256 = models.CharField(max_length=64, blank=True, help_text="The sealed service report (blob key).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Who asked; empty when a workflow asked.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service task")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["court", "status", "due_on"]), models.Index(fields=["case", "recipient"]),
                   models.Index(fields=["status", "channel_due_at"])]

    def __str__(self):
        return f"送达 {self.case_id}/{self.recipient_id} ({self.status})"

    @property
    def current_channel(self) -> str:
        return self.plan[self.plan_index]["channel"] if self.plan_index < len(self.plan) else ""


class ServiceAttempt(models.Model):
    """One attempt on a task: a fact, never changed or deleted (save/delete refuse; database triggers too)."""

    task = models.ForeignKey(ServiceTask, on_delete=models.RESTRICT, related_name="attempts", help_text="Task.")
    channel = models.CharField(max_length=16, choices=Channel.choices, help_text="Channel used.")
    at = models.DateTimeField(help_text="When it happened (UTC): sent, signed for, read, published.")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, help_text="What happened.")
    note = models.TextField(blank=True, help_text="Officer's note, standard phrase, returned-mail reason.")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                related_name="+", help_text="Who recorded it; empty for the system.")
    address_used = models.CharField(max_length=300, blank=True, help_text="Phone, e-mail, address or account used.")
    contact = models.ForeignKey("ContactPoint", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                help_text="The address-history row the attempt used.")
    tracking_number = models.CharField(max_length=40, blank=True, help_text="EMS number (post).")
    phrase = models.CharField(max_length=40, blank=True, help_text="Standard phrase code (phone).")
    recording_sha256 = models.CharField(max_length=64, blank=True, help_text="Call recording (blob), optional.")
    signature_sha256 = models.CharField(max_length=64, blank=True, help_text="Signature image (direct service).")
    entry_id = models.BigIntegerField(null=True, blank=True, help_text="The service.attempted journal entry.")
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When it was written down.")

    class Meta:
        verbose_name = _("service attempt")
        ordering = ["task", "at", "id"]
        indexes = [models.Index(fields=["task", "at"])]

    def __str__(self):
        return f"{self.channel} {self.outcome} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AttemptImmutable("service attempts are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AttemptImmutable("service attempts are append-only")


class ContactPoint(models.Model):
    """One phone, e-mail, address or platform account of a person or organisation, with how service through it
    went — across every case, keyed by the blind index of the ID number or credit code (never the number)."""

    identity_key = models.CharField(max_length=64, help_text="Blind index of ID number / credit code.")
    kind = models.CharField(max_length=10, choices=ContactKind.choices, help_text="What sort of contact.")
    value = models.CharField(max_length=300, help_text="The number, e-mail, address, or account (user:<id>).")
    delivered_count = models.PositiveIntegerField(default=0, help_text="Attempts through it that reached the person.")
    failed_count = models.PositiveIntegerField(default=0, help_text="Attempts through it that failed.")
    recent = models.CharField(max_length=10, blank=True, default="",
                              help_text="The last ten outcomes, newest last: s(erved) / f(ailed).")
    last_outcome = models.CharField(max_length=12, blank=True, help_text="Outcome of the last attempt.")
    last_at = models.DateTimeField(null=True, blank=True, help_text="When it was last used.")
    source = models.CharField(max_length=20, choices=ContactSource.choices, default=ContactSource.CASE_RECORD,
                              help_text="Where it came from; data-repair results from the fake are marked so.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact point")
        constraints = [models.UniqueConstraint(fields=["identity_key", "kind", "value"], name="contact_point_unique")]

    def __str__(self):
        return f"{self.kind} {self.identity_key[:8]}…"


class Consent(models.Model):
    """A recipient's consent to electronic service in one case (OLR art 29), also journaled (service.consented)."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="service_consents",
                              help_text="Who consented.")
    form = models.CharField(max_length=20, choices=ConsentForm.choices, help_text="Form of consent (OLR art 29).")
    confirmed_by = models.CharField(max_length=10, choices=ConfirmedBy.choices, default=ConfirmedBy.PLATFORM,
                                    help_text="How consent and address were confirmed (OLR art 30).")
    channels = models.JSONField(default=list, help_text="Electronic channels consented to: portal, sms, email.")
    given_at = models.DateTimeField(help_text="When.")
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="Withdrawn before service (OLR art 5).")
    entry_id = models.BigIntegerField(null=True, blank=True, help_text="The service.consented journal entry.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="+", help_text="Who recorded it.")

    class Meta:
        verbose_name = _("consent to electronic service")
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["case", "party"])]


class SmsAccessLink(models.Model):
    """The secure link an SMS carries (/s/<token>): it opens the documents only with its one-time code. Only
    hashes are kept; the code works once and dies after a few wrong guesses or at expiry."""

    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the URL token.")
    task = models.ForeignKey(ServiceTask, on_delete=models.RESTRICT, related_name="links", help_text="Task.")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.SMS,
                               help_text="The message that carried it: sms or email.")
    code_salt = models.CharField(max_length=32, help_text="Salt of the code hash.")
    code_hash = models.CharField(max_length=64, help_text="HMAC-SHA256 of the code; never the code.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Wrong codes so far.")
    expires_at = models.DateTimeField(help_text="After this the link is dead.")
    opened_at = models.DateTimeField(null=True, blank=True, help_text="When the right code was entered.")
    message_id = models.BigIntegerField(null=True, blank=True, help_text="The outbox SMS that carried it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SMS access link")

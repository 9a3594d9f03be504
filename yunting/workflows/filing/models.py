"""Online filings (网上立案): drafts a party or lawyer builds, submissions a filing officer reviews, and the
batches institutions send through the API. A filing becomes a case only when accepted (filing_accept)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from yunting.kernel.security.fields import EncryptedTextField

from .choices import BatchStatus, FilingStatus, NoticeStatus

USER = settings.AUTH_USER_MODEL


class FilingBatch(models.Model):
    """One JSON-lines upload from an institution: stored first (bytes in the blob store, SHA-256 here), answered
    at once, then processed by a task that can resume after a crash from `processed_lines`."""

    institution = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="filing_batches",
                                    help_text="The institution that sent the batch.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+",
                              help_text="The court the batch is filed with.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the uploaded bytes (also their blob key).")
    status = models.CharField(max_length=16, choices=BatchStatus.choices, default=BatchStatus.RECEIVED,
                              help_text="Processing stage.")
    total_lines = models.PositiveIntegerField(default=0, help_text="Non-empty lines in the upload.")
    processed_lines = models.PositiveIntegerField(default=0, help_text="Lines done so far (resume point).")
    filed = models.PositiveIntegerField(default=0, help_text="Records that became submitted filings.")
    duplicates = models.PositiveIntegerField(default=0, help_text="Records whose external id was already filed.")
    invalid = models.PositiveIntegerField(default=0, help_text="Records refused with field-level reasons.")
    report = models.JSONField(default=list, blank=True,
                              help_text="The refused records: [{line, external_id, errors: [{field, code, message}]}].")
    error_message = models.TextField(blank=True, help_text="Why the whole batch failed, if it did.")
    api_key = models.ForeignKey("filing.InstitutionApiKey", null=True, blank=True, on_delete=models.RESTRICT,
                                related_name="batches", help_text="The key the batch was sent with.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When processing ended.")
    accept_requested_at = models.DateTimeField(null=True, blank=True,
                                               help_text="When a filing officer asked for 一键立案 of the batch.")
    accept_requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT,
                                            related_name="+", help_text="Who asked for it.")
    accept_finished_at = models.DateTimeField(null=True, blank=True, help_text="When that bulk acceptance ended.")
    accept_failures = models.JSONField(default=list, blank=True,
                                       help_text="Filings the bulk acceptance could not accept, with the reason.")
    lease_token = models.CharField(max_length=32, blank=True,
                                   help_text="Who is processing the batch now (one worker at a time).")
    lease_until = models.DateTimeField(null=True, blank=True,
                                       help_text="The lease expires then; a crashed worker's batch is resumed after.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(processed_lines__lte=models.F("total_lines")),
                                   name="filing_batch_progress_bounded"),
        ]


class Filing(models.Model):
    court = models.ForeignKey("people.Organisation", null=True, blank=True, on_delete=models.RESTRICT,
                              db_index=False,  # (court, status, deadline) serves it
                              related_name="filings", help_text="The court filed with (empty in an early draft).")
    case_type = models.ForeignKey("cases.CaseType", null=True, blank=True, on_delete=models.RESTRICT,
                                  related_name="+", help_text="Type code asked for, e.g. 民初.")
    cause = models.ForeignKey("cases.Cause", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="案由 as filed; the officer may suggest another but never changes it silently.")
    procedure = models.CharField(max_length=20, blank=True, help_text="Procedure asked for (empty: the type's usual).")
    status = models.CharField(max_length=24, choices=FilingStatus.choices, default=FilingStatus.DRAFT,
                              help_text="Where the filing stands.")
    claims = models.JSONField(default=list, blank=True, help_text="诉讼请求, one string per claim.")
    facts = models.TextField(blank=True, help_text="事实与理由 (composed from the questionnaire when left empty).")
    questionnaire = models.JSONField(default=dict, blank=True,
                                     help_text="Answers to the cause's element questionnaire (要素表), checked.")
    claim_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True,
                                       help_text="Amount in dispute, yuan; the fee is computed on it.")
    payload = models.JSONField(default=dict, blank=True,
                               help_text="The form exactly as last saved: partial, possibly invalid; never lost.")
    fee = models.JSONField(default=dict, blank=True, help_text="The fee estimate (with steps) at submission.")
    filer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="filings",
                              help_text="The person who files (party or lawyer); empty for institution records.")
    on_behalf_of = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT,
                                     related_name="filings_for_me",
                                     help_text="The client a lawyer files for (with a power of attorney).")
    institution = models.ForeignKey("people.Organisation", null=True, blank=True, on_delete=models.RESTRICT,
                                    db_index=False,  # (institution, external_id) serves it
                                    related_name="institution_filings", help_text="Institution of a batch record.")
    external_id = models.CharField(max_length=64, blank=True,
                                   help_text="The institution's own id for the record: resubmitting it is a no-op.")
    batch = models.ForeignKey(FilingBatch, null=True, blank=True, on_delete=models.RESTRICT, related_name="filings",
                              help_text="The batch the record came in.")
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True,
                                   help_text="Hash of court, cause, parties and amount, to spot duplicate filings.")
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="Last (re)submission.")
    deadline = models.DateField(null=True, blank=True,
                                help_text="Last day to register or refuse (CPL 126: 7 days, counted per CPL 85).")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When accepted or rejected.")
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                 help_text="The officer who decided.")
    decision_reason = models.TextField(blank=True, help_text="Why it was rejected (required then).")
    supplement_request = models.TextField(blank=True, help_text="What must be supplemented (one consolidated notice).")
    supplement_deadline = models.DateField(null=True, blank=True, help_text="Supplement by this day.")
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.RESTRICT,
                                related_name="filing", help_text="The case opened on acceptance.")
    notice_status = models.CharField(max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.NONE,
                                     blank=True, help_text="The 受理通知书 job after acceptance.")
    notice_error = models.TextField(blank=True, help_text="Why issuing the notice failed (it is retried).")
    notice_attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed attempts at issuing the notice.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "external_id"], condition=Q(institution__isnull=False),
                                    name="filing_institution_external_id"),
            models.CheckConstraint(condition=Q(filer__isnull=False) | Q(institution__isnull=False),
                                   name="filing_has_filer_or_institution"),
            models.CheckConstraint(condition=~Q(status="accepted") | Q(case__isnull=False),
                                   name="filing_accepted_has_case"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(decision_reason=""),
                                   name="filing_rejected_has_reason"),
            models.CheckConstraint(condition=Q(status__in=["draft", "deleted"]) | Q(court__isnull=False),
                                   name="filing_submitted_has_court"),
        ]
        indexes = [models.Index(fields=["court", "status", "deadline"])]

    def __str__(self):
        return f"filing {self.pk} ({self.status})"


def fingerprint(*, court_id, cause_id, amount, parties) -> str:
    names = sorted(f"{p.get('role')}:{p.get('name', '').strip()}:{p.get('id_number') or p.get('credit_code') or ''}"
                   for p in parties)
    raw = "|".join([str(court_id), str(cause_id), str(amount or ""), *names])
    return hashlib.sha256(raw.encode()).hexdigest()


class FilingParty(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.RESTRICT, related_name="parties", help_text="Filing.")
    role = models.CharField(max_length=20, help_text="诉讼地位 (cases.PartyRole).")
    kind = models.CharField(max_length=12, help_text="natural | legal | other_org.")
    name = models.CharField(max_length=200, help_text="Name or registered name.")
    id_number = EncryptedTextField(blank=True, default="", help_text="身份证号 (natural persons); encrypted.")
    credit_code = models.CharField(max_length=18, blank=True, help_text="统一社会信用代码 (bodies).")
    address = models.CharField(max_length=300, blank=True, help_text="Address for service.")
    phone = models.CharField(max_length=20, blank=True, help_text="Contact phone.")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                             help_text="The platform account acting as this party (the filer or their client).")
    order = models.PositiveSmallIntegerField(default=0, help_text="Order of listing.")

    class Meta:
        ordering = ["filing", "order", "id"]


class FilingDocument(models.Model):
    """A document uploaded with a filing; it enters the e-file when the filing is accepted."""

    filing = models.ForeignKey(Filing, on_delete=models.RESTRICT, related_name="documents", help_text="Filing.")
    blob = models.ForeignKey("blobs.Blob", on_delete=models.RESTRICT, related_name="+",
                             help_text="The stored bytes (SHA-256 key).")
    title = models.CharField(max_length=300, help_text="e.g. 借条.")
    kind = models.CharField(max_length=32, help_text="E-file document kind, e.g. complaint, evidence, identity.")
    filename = models.CharField(max_length=255, blank=True, help_text="Name on the uploader's disk (display only).")
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                    help_text="Who uploaded it.")
    generated = models.BooleanField(default=False,
                                    help_text="Generated from the form (complaint, evidence list), not uploaded.")
    page_count = models.PositiveIntegerField(null=True, blank=True,
                                             help_text="Pages, counted when the upload was checked; empty for media.")
    notes = models.JSONField(default=list, blank=True,
                             help_text="What the content check found or did (blank pages, photo straightened).")
    source_blob = models.ForeignKey("blobs.Blob", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                    help_text="The original photo when this PDF was made from it.")
    upload = models.ForeignKey("efile.Upload", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                               help_text="The uploader's own checked upload it came from (empty when generated).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filing", "id"]
        constraints = [models.UniqueConstraint(fields=["filing", "blob", "kind"], name="filing_document_once")]


class FilingEvent(models.Model):
    """Append-only log of a filing before its case exists (once it does, the case journal carries on)."""

    filing = models.ForeignKey(Filing, on_delete=models.RESTRICT, related_name="events", help_text="Filing.")
    kind = models.CharField(max_length=40, help_text="e.g. filing.submitted, filing.supplement_requested.")
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="Who acted; empty for the system or an institution's API key.")
    payload = models.JSONField(default=dict, blank=True, help_text="What changed.")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filing", "id"]


class InstitutionApiKey(models.Model):
    """An institution's key for the batch filing API. Only the SHA-256 is stored; a court admin issues, rotates
    and revokes keys (`yunting filing_key`)."""

    institution = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="filing_keys",
                                    help_text="The institution the key speaks for.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+",
                              help_text="The court that issued it; batches sent with it are filed there.")
    key_prefix = models.CharField(max_length=12, help_text="First characters, to tell keys apart.")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="Last successful use.")
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Set when revoked or rotated out.")

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class FilingWebhook(models.Model):
    """Where an institution wants review and docketing callbacks for its filings with one court."""

    institution = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="filing_webhooks",
                                    help_text="The institution notified.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+",
                              help_text="The court whose decisions are reported.")
    url = models.URLField(max_length=500, help_text="HTTPS endpoint that receives the signed JSON messages.")
    secret = EncryptedTextField(help_text="HMAC-SHA256 key for X-Yunting-Signature; shown once; encrypted at rest.")
    active = models.BooleanField(default=True, help_text="Off: nothing is sent.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institution", "court"], name="filing_webhook_once")]


class WebhookDelivery(models.Model):
    """One message to send, written in the transaction of the decision it reports (an outbox), then sent and
    retried with exponential backoff until delivered or out of attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        FAILED = "failed", "failed"

    webhook = models.ForeignKey(FilingWebhook, on_delete=models.RESTRICT, related_name="deliveries",
                                help_text="Where it goes.")
    filing = models.ForeignKey(Filing, on_delete=models.RESTRICT, related_name="webhook_deliveries",
                               help_text="The filing it is about.")
    event = models.CharField(max_length=20, help_text="review | docketing.")
    dedupe_key = models.CharField(max_length=100, unique=True,
                                  help_text="filing:event:status, so a decision is reported once.")
    body = models.JSONField(help_text="The message (OASIS ECF callback shapes, as JSON).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, help_text="Stage.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Attempts so far.")
    next_attempt_at = models.DateTimeField(help_text="When to try next (pending only).")
    last_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Last HTTP status received.")
    last_error = models.TextField(blank=True, help_text="Last failure, for the institution's support desk.")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True, help_text="When a 2xx came back.")

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

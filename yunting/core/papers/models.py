from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")  # rendered and in the e-file; signatures may follow in order
    SEALED = "sealed", _("Sealed")  # the court seal is on it: final


class Paper(models.Model):
    """A court paper produced from a template: a draft while the judge edits it, then an issued PDF."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="papers", help_text="Case.")
    template_code = models.CharField(max_length=40, help_text="kernel.documents.library template code.")
    title = models.CharField(_("title"), max_length=100, help_text="e.g. 民事裁定书.")
    kind = models.CharField(max_length=40, help_text="E-file document kind.")
    status = models.CharField(max_length=10, choices=PaperStatus.choices, default=PaperStatus.DRAFT, help_text="Stage.")
    variables = models.JSONField(default=dict, help_text="Template variables (JSON-safe form).")
    pdf_sha256 = models.CharField(max_length=64, blank=True, help_text="The latest PDF (blob key); empty for drafts.")
    signed_slots = models.JSONField(default=list, help_text="Slots signed so far, in order.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="Who generated the draft.")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                  related_name="+", help_text="Who issued it.")
    issued_at = models.DateTimeField(null=True, blank=True, help_text="When issued.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.title} {self.case_id}"


class PaperSignature(models.Model):
    """One signature applied to a paper: who, with which certificate, on whose behalf, from which device."""

    paper = models.ForeignKey(Paper, on_delete=models.RESTRICT, related_name="signatures", help_text="Paper.")
    slot = models.CharField(max_length=40, help_text="Signature field name.")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                               related_name="+", help_text="The person who acted (for a seal: who applied it).")
    certificate = models.ForeignKey("documents.Certificate", on_delete=models.RESTRICT, related_name="+",
                                    help_text="Certificate whose key made the PAdES signature.")
    on_behalf_of = models.CharField(max_length=200, blank=True, help_text="Handwriting: the party's name.")
    device = models.CharField(max_length=300, blank=True, help_text="Handwriting: the signing device (user agent).")
    session = models.CharField(max_length=64, blank=True, help_text="Handwriting: hash of the web session.")
    pdf_sha256 = models.CharField(max_length=64, help_text="The PDF after this signature.")
    entry = models.ForeignKey("journal.JournalEntry", on_delete=models.RESTRICT, related_name="+",
                              help_text="The journal entry recording the act.")
    signed_at = models.DateTimeField(help_text="When.")

    class Meta:
        ordering = ["paper", "signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["paper", "slot"], name="paper_signature_slot_once")]


class SealJob(models.Model):
    """A batch of issued papers to receive the court seal; processed by one background task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="Who ordered the sealing.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, help_text="State.")
    total = models.PositiveIntegerField(default=0, help_text="Papers in the batch.")
    sealed = models.PositiveIntegerField(default=0, help_text="Sealed so far.")
    failed = models.PositiveIntegerField(default=0, help_text="Failed so far.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When the last item was processed.")

    @property
    def processed(self) -> int:
        return self.sealed + self.failed

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 100


class SealJobItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SEALED = "sealed", _("Sealed")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(SealJob, on_delete=models.CASCADE, related_name="items", help_text="Batch.")
    paper = models.ForeignKey(Paper, on_delete=models.RESTRICT, related_name="+", help_text="Paper to seal.")
    position = models.PositiveIntegerField(help_text="Order in the batch.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, help_text="Outcome.")
    error_message = models.TextField(blank=True, help_text="Why it failed, naming the paper.")

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "paper"], name="seal_job_paper_once")]

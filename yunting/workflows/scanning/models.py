from django.conf import settings
from django.db import models

from yunting.workflows.scanning.i18n import _lazy as _


class CoverSheet(models.Model):
    """A printed sheet put in front of paper before it is scanned: its QR code carries a signed token naming this
    row, so the station knows the case (and the submission) of the pages after it. Per case (kind empty) or per
    submission (kind, title and the page count the submitter declared)."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")
    kind = models.CharField(max_length=40, blank=True, help_text="Document kind of the submission; empty: case sheet.")
    title = models.CharField(max_length=300, blank=True, help_text="Title of the submission (题名).")
    declared_pages = models.PositiveIntegerField(null=True, blank=True, help_text="Pages the submitter declared.")
    barcode = models.CharField(max_length=20, unique=True, help_text="Label of the paper original (not a key).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="Who printed it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class BatchStatus(models.TextChoices):
    CHECKING = "checking", _("Checking")
    PROCESSING = "processing", _("Recognising")
    SPLITTING = "splitting", _("Splitting")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Returned to the station")


class ScanBatch(models.Model):
    """One upload from a scanning station: many cases' paper mixed, split at cover sheets."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    station_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                     help_text="Who scanned.")
    station = models.CharField(max_length=60, blank=True, help_text="Station name as the software reports it.")
    upload = models.OneToOneField("efile.Upload", null=True, blank=True, on_delete=models.RESTRICT,
                                  related_name="+", help_text="The upload through the checked intake.")
    status = models.CharField(max_length=12, choices=BatchStatus.choices, default=BatchStatus.CHECKING,
                              help_text="checking → processing → splitting → done | returned.")
    problems = models.JSONField(default=list, blank=True, help_text="Why the batch was returned.")
    page_total = models.PositiveIntegerField(default=0, help_text="Pages in the batch.")
    pages_done = models.PositiveIntegerField(default=0, help_text="Pages recognised so far.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When splitting ended.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["court", "status"])]

    @property
    def progress(self) -> int:
        return round(100 * self.pages_done / self.page_total) if self.page_total else 0


class ScanPage(models.Model):
    """What recognising one page found (one background job each)."""

    batch = models.ForeignKey(ScanBatch, on_delete=models.CASCADE, related_name="pages", help_text="Batch.")
    number = models.PositiveIntegerField(help_text="1-based page number in the batch.")
    done = models.BooleanField(default=False, help_text="Recognised.")
    cover = models.ForeignKey(CoverSheet, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="The cover sheet this page is, if it is one.")
    qr_problem = models.CharField(max_length=40, blank=True, help_text="A QR code that is not a valid cover sheet.")
    blank = models.BooleanField(default=False, help_text="Blank page (dropped).")
    angle = models.FloatField(default=0, help_text="Skew corrected, degrees.")
    dpi = models.PositiveIntegerField(default=0, help_text="Resolution the page was recognised at.")
    lines = models.JSONField(default=list, blank=True, help_text="OCR lines: [text, box, score].")
    text = models.TextField(blank=True, help_text="OCR text.")
    confidence = models.FloatField(default=0, help_text="Legibility score 0..1 (OCR confidence).")

    class Meta:
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="scan_page_once")]


class ScanDocStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the clerk")
    FILED = "filed", _("Filed")
    RETURNED = "returned", _("Returned to the station")


class ScanDocument(models.Model):
    """Pages between two cover sheets: one searchable PDF, a suggested catalogue kind, quality problems."""

    batch = models.ForeignKey(ScanBatch, on_delete=models.RESTRICT, related_name="documents", help_text="Batch.")
    cover = models.ForeignKey(CoverSheet, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="Cover sheet in front (empty: pages before any cover sheet).")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                             help_text="Case, from the cover sheet.")
    first_page = models.PositiveIntegerField(help_text="First page in the batch.")
    last_page = models.PositiveIntegerField(help_text="Last page in the batch.")
    page_count = models.PositiveIntegerField(default=0, help_text="Pages kept (blank ones dropped).")
    blank_dropped = models.JSONField(default=list, blank=True, help_text="Batch page numbers dropped as blank.")
    blob = models.ForeignKey("blobs.Blob", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                             help_text="The searchable PDF.")
    title = models.CharField(max_length=300, blank=True, help_text="题名.")
    suggested_kind = models.CharField(max_length=40, blank=True, help_text="Kind suggested from the text.")
    kind = models.CharField(max_length=40, blank=True, help_text="Kind the clerk confirmed.")
    confidence = models.FloatField(default=0, help_text="Legibility score 0..1.")
    text = models.TextField(blank=True, help_text="OCR text.")
    status = models.CharField(max_length=10, choices=ScanDocStatus.choices, default=ScanDocStatus.PENDING,
                              help_text="pending → filed | returned.")
    problems = models.JSONField(default=list, blank=True, help_text="Quality problems: [{code, message, data}].")
    document = models.ForeignKey("efile.Document", null=True, blank=True, on_delete=models.RESTRICT,
                                 related_name="+", help_text="The e-file document once filed.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Clerk who filed or returned it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "first_page"]
        indexes = [models.Index(fields=["status", "case"])]


class OriginalStatus(models.TextChoices):
    IN_STORE = "in_store", _("In the intermediate store")
    LENT = "lent", _("Lent out")
    RETURNED_TO_PARTY = "returned_to_party", _("Returned to its owner")
    ARCHIVED = "archived", _("Archived")


class Original(models.Model):
    """A paper original kept apart from the judge (人卷分离): where it is and who holds it, always."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")
    barcode = models.CharField(max_length=20, unique=True, help_text="Label on the paper.")
    description = models.CharField(max_length=300, help_text="What it is.")
    cover = models.ForeignKey(CoverSheet, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="Cover sheet it was scanned under.")
    location = models.CharField(max_length=100, blank=True, help_text="Shelf in the intermediate store.")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                               related_name="+", help_text="Who holds it while lent.")
    status = models.CharField(max_length=20, choices=OriginalStatus.choices, default=OriginalStatus.IN_STORE,
                              help_text="Where it is.")
    due_back = models.DateField(null=True, blank=True, help_text="When a lent original is due back.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "barcode"]


class Movement(models.Model):
    """One move of an original: append-only log (also journaled on the case)."""

    original = models.ForeignKey(Original, on_delete=models.RESTRICT, related_name="movements", help_text="Original.")
    action = models.CharField(max_length=20, help_text="register | move | lend | return | release | archive.")
    from_location = models.CharField(max_length=100, blank=True, help_text="Where it was.")
    to_location = models.CharField(max_length=100, blank=True, help_text="Where it went.")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                               related_name="+", help_text="Who took it (lend).")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                              help_text="Who recorded the move.")
    reason = models.CharField(max_length=300, blank=True, help_text="Why.")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["original", "at", "id"]

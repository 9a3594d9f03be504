from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunting.core.cases.choices import SecurityLevel


class Volume(models.TextChoices):
    MAIN = "main", _("Main volume")
    SECONDARY = "secondary", _("Secondary volume")


class CatalogSection(models.Model):
    """Level two of the catalogue of one case type. Level one is the volume; level three, the documents."""

    case_type = models.ForeignKey(
        "cases.CaseType", on_delete=models.RESTRICT, related_name="catalog_sections", help_text="Case type."
    )
    volume = models.CharField(_("volume"), max_length=10, choices=Volume.choices, help_text="正卷 or 副卷.")
    code = models.CharField(max_length=8, help_text="Two-digit order code within the case type.")
    title = models.CharField(_("section"), max_length=100, help_text="e.g. 证据材料.")
    document_kinds = models.JSONField(default=list, help_text="Document kinds filed here automatically.")

    class Meta:
        verbose_name = _("catalog section")
        ordering = ["case_type", "volume", "code"]
        constraints = [models.UniqueConstraint(fields=["case_type", "code"], name="catalog_section_unique")]

    def __str__(self):
        return f"{self.case_type_id} {self.code} {self.title}"


class Document(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="documents", help_text="Case.",
                             db_index=False)  # (case, section) serves it
    blob = models.ForeignKey("blobs.Blob", on_delete=models.RESTRICT, related_name="+", help_text="The bytes.")
    title = models.CharField(_("title"), max_length=300, help_text="题名.")
    kind = models.CharField(_("document kind"), max_length=40, help_text="See efile.catalog.DOCUMENT_KIND_LABELS.")
    section = models.ForeignKey(
        CatalogSection, on_delete=models.RESTRICT, related_name="documents", help_text="Catalogue section."
    )
    entry = models.ForeignKey(
        "journal.JournalEntry", on_delete=models.RESTRICT, related_name="documents",
        help_text="The journal entry that produced the document.",
    )
    page_count = models.PositiveIntegerField(_("pages"), default=0, help_text="0 for non-PDF media.")
    security_level = models.CharField(
        _("security level"), max_length=16, choices=SecurityLevel.choices, help_text="密级."
    )
    filename = models.CharField(max_length=255, blank=True, help_text="Name as submitted; display only.")
    text = models.TextField(blank=True, help_text="Extracted text, for search.")
    text_extracted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the text was extracted; empty while a background job still has to.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        ordering = ["case", "section__volume", "section__code", "id"]
        indexes = [models.Index(fields=["case", "section"]), models.Index(fields=["text_extracted_at"])]

    def __str__(self):
        return self.title

    @property
    def sha256(self) -> str:
        return self.blob_id

    @property
    def volume(self) -> str:
        return self.section.volume


class UploadStatus(models.TextChoices):
    CHECKING = "checking", _("Checking")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


def _upload_id() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class Upload(models.Model):
    """Bytes someone sent, bound to who sent them: the only thing a filing, a batch record or a case submission
    may name to take stored content in. A SHA-256 alone is never enough (every document's hash is public on the
    ledger): the caller names its own upload by `id`, or by the hash of bytes it uploaded itself.

    Stored first, answered at once, checked by a background job in the sandbox (efile.intake), then `accepted`
    (with `document`, what enters the file) or `refused` (with `problems`; its bytes are deleted unless something
    else holds the same bytes)."""

    id = models.CharField(primary_key=True, max_length=40, default=_upload_id, editable=False,
                          help_text="Unguessable id (192 random bits); the caller names its upload with it.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                             db_index=False,  # (user, status) serves it
                             related_name="+", help_text="The person who uploaded (empty for an institution).")
    institution = models.ForeignKey("people.Organisation", null=True, blank=True, on_delete=models.RESTRICT,
                                    db_index=False,  # (institution, status) serves it
                                    related_name="+", help_text="The institution whose key uploaded (batch filing).")
    purpose = models.CharField(max_length=16, help_text="filing | efile | batch: which path took it in.")
    subject = models.CharField(max_length=40, blank=True, db_index=True,
                               help_text="What it is for: filing:<id>, case:<id>, batch:<id>; empty for a free upload.")
    intent = models.JSONField(default=dict, blank=True, help_text="Title, kind and file name given with it.")
    language = models.CharField(max_length=16, blank=True, help_text="Language of the uploader, for the messages.")
    sha256 = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the (first) file as received.")
    size = models.BigIntegerField(help_text="Bytes received (all files of the upload); counts against the quota.")
    mime_type = models.CharField(max_length=100, help_text="Detected from the content of the (first) file.")
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.CHECKING,
                              help_text="checking → accepted | refused.")
    problems = models.JSONField(default=list, blank=True, help_text="Why it was refused: [{code, message, page, data}].")
    notes = models.JSONField(default=list, blank=True, help_text="Warnings and what was done (photo straightened).")
    page_count = models.PositiveIntegerField(null=True, blank=True, help_text="Pages, once checked; empty for media.")
    document = models.ForeignKey("blobs.Blob", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                 help_text="What enters the file once accepted: the upload, or the PDF made from photos.")
    outcome = models.JSONField(default=dict, blank=True, help_text="What the accepted upload became (document id …).")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True, help_text="When the check ended.")

    class Meta:
        verbose_name = _("upload")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["institution", "status"]),
                   models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(user__isnull=False) | models.Q(institution__isnull=False),
                                   name="upload_has_owner"),
        ]

    def __str__(self):
        return f"upload {self.pk} ({self.status})"

    @property
    def title(self) -> str:
        return str((self.intent or {}).get("title") or "")


class UploadPart(models.Model):
    """One file of an upload as received (several photos of one paper document make one upload)."""

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="parts", help_text="Upload.")
    position = models.PositiveSmallIntegerField(help_text="0, 1, 2 … in the order chosen.")
    blob = models.ForeignKey("blobs.Blob", on_delete=models.RESTRICT, related_name="+", help_text="The bytes.")

    class Meta:
        ordering = ["upload", "position"]
        constraints = [models.UniqueConstraint(fields=["upload", "position"], name="upload_part_once")]

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
    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="documents", help_text="Case.")
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

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Retention, TransferDirection, TransferStatus


class ArchiveVolume(models.Model):
    """One archived volume (正卷 or 副卷) of a case: what the package held and the tree head it was proven under."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="archive_volumes",
                             help_text="The archived case.")
    volume = models.CharField(max_length=10, help_text="main (正卷) or secondary (副卷).")
    archive_number = models.CharField(_("archive number"), max_length=80, help_text="档号.")
    retention = models.CharField(_("retention"), max_length=10, choices=Retention.choices, help_text="保管期限.")
    security_level = models.CharField(_("security level"), max_length=20, help_text="密级 set by the archivist.")
    documents = models.PositiveIntegerField(default=0, help_text="Documents in the volume.")
    pages = models.PositiveIntegerField(default=0, help_text="Pages of its documents.")
    tree_size = models.PositiveBigIntegerField(help_text="Size of the signed tree head every proof refers to.")
    root_hash = models.CharField(max_length=64, help_text="Hex root of that tree head.")
    manifest = models.JSONField(default=dict, help_text="The signed yunting-manifest.json, as written.")
    location = models.CharField(max_length=500, blank=True, help_text="Directory the package was written to.")
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="+", help_text="The archivist (empty: the command line).")
    archived_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "volume"], name="archive_one_volume_per_case")]


class TransferKey(models.Model):
    """A court-to-court key: lets one named sending court deliver appeal files to this court's /api/v1/transfers.

    The sender's ledger address and public key are pinned here, so a package is checked against the ledger of
    the court it claims to come from, not against a key it brings along."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+",
                              help_text="The receiving (appellate) court.")
    sender_name = models.CharField(max_length=200, help_text="The sending court's name.")
    sender_url = models.CharField(max_length=300, blank=True,
                                  help_text="The sender's ledger base URL (…/api/v1/ledger/); empty: this deployment.")
    sender_public_key = models.TextField(blank=True, help_text="The sender's ledger public key (PEM), pinned.")
    key_prefix = models.CharField(max_length=16, help_text="First characters, to tell keys apart.")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key; the key is shown once.")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Revoked keys are refused.")

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class Transfer(models.Model):
    """One appeal transfer, as the sender or the receiver saw it (each side keeps its own row)."""

    direction = models.CharField(max_length=10, choices=TransferDirection.choices, help_text="sent | received.")
    status = models.CharField(max_length=12, choices=TransferStatus.choices, help_text="What became of it.")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                             help_text="Sent: the first-instance case; received: the appeal case opened.")
    counterpart = models.CharField(max_length=300, help_text="The other court (URL or name).")
    from_case_number = models.CharField(max_length=64, blank=True, help_text="The first-instance case number.")
    detail = models.JSONField(default=dict, blank=True, help_text="Answer, checks, problem.")
    created_at = models.DateTimeField(auto_now_add=True)

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertKind(models.TextChoices):
    ROOT = "root", _("Court root CA")
    ISSUING = "issuing", _("Issuing CA")
    SEAL = "seal", _("Court seal")
    PERSON = "person", _("Personal signing certificate")
    PLATFORM = "platform", _("Platform (signs on a party's behalf)")
    TSA = "tsa", _("Time-stamping authority")


class Certificate(models.Model):
    """A certificate of the court's own PKI and its private key, encrypted at rest (PKCS#8, settings passphrase)."""

    kind = models.CharField(max_length=10, choices=CertKind.choices, help_text="Role in the PKI.")
    label = models.CharField(
        max_length=100, help_text="Who it belongs to: 'root', 'issuing', 'seal:粤0306', 'user:42', 'platform', 'tsa'."
    )
    common_name = models.CharField(max_length=200, help_text="Subject CN, e.g. the signer's real name.")
    serial = models.CharField(max_length=64, unique=True, help_text="Serial number, lower-case hex.")
    issuer = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="issued",
        help_text="Issuing CA; empty for the self-signed root.",
    )
    cert_pem = models.TextField(help_text="The certificate, PEM.")
    key_pem = models.TextField(help_text="The private key, PKCS#8 PEM encrypted with the PKI passphrase.")
    not_before = models.DateTimeField(help_text="Valid from.")
    not_after = models.DateTimeField(help_text="Valid until.")
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="When revoked; listed on the CRL from then.")
    revocation_reason = models.CharField(max_length=40, blank=True, help_text="RFC 5280 reason, e.g. key_compromise.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["label", "revoked_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.common_name} ({self.serial[:12]})"

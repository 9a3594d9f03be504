"""案款发还: a payout form the enforcement judge opens for a case, and each recipient's share of it — the amount,
the recipient's confirmation and bank account (encrypted; shown masked), the signed distribution record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yunting.kernel.security.fields import EncryptedTextField


class PayoutStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("payout", "Waiting for recipients")
    APPROVED = "approved", pgettext_lazy("payout", "Approved and sealed")
    CANCELLED = "cancelled", pgettext_lazy("payout", "Cancelled")


class ShareStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("payout share", "To confirm")
    CONFIRMED = "confirmed", pgettext_lazy("payout share", "Confirmed, to sign")
    SIGNED = "signed", pgettext_lazy("payout share", "Signed")


class Payout(models.Model):
    """One distribution of money the court received in a case (执行案款) among the case's parties."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")
    received_total = models.DecimalField(max_digits=14, decimal_places=2,
                                         help_text="The sum the court received (yuan), entered by the judge.")
    note = models.CharField(max_length=300, blank=True, help_text="The judge's explanation shown to recipients.")
    status = models.CharField(_("status"), max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.OPEN,
                              help_text="Open until the judge approves.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="The enforcement judge who opened it.")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="+", help_text="Who approved (the seal went on then).")
    approved_at = models.DateTimeField(null=True, blank=True, help_text="When approved (UTC).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self):
        return f"案款发还 {self.case_id} ¥{self.received_total}"


class PayoutShare(models.Model):
    """One recipient's share: amount set by the judge, confirmed with a bank account, signed record."""

    payout = models.ForeignKey(Payout, on_delete=models.RESTRICT, related_name="shares", help_text="Payout.")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="+", help_text="Recipient.")
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="Amount to pay (yuan).")
    order = models.PositiveSmallIntegerField(default=0, help_text="Order on the form.")
    status = models.CharField(max_length=10, choices=ShareStatus.choices, default=ShareStatus.PENDING,
                              help_text="To confirm → confirmed → signed.")
    account_number = EncryptedTextField(blank=True, help_text="Bank card number (encrypted at rest).")
    account_masked = models.CharField(max_length=24, blank=True, help_text="6222 **** **** 1234, what pages show.")
    account_name = models.CharField(max_length=200, blank=True, help_text="Account holder (the recipient).")
    bank_code = models.CharField(max_length=16, blank=True, help_text="Bank code (banks.BANKS), from the BIN.")
    bank_name = models.CharField(max_length=40, blank=True, help_text="Bank name.")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                     related_name="+", help_text="Who confirmed (the party or their lawyer).")
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="When confirmed (UTC).")
    signed_at = models.DateTimeField(null=True, blank=True, help_text="When the record was signed (UTC).")
    signature_sha256 = models.CharField(max_length=64, blank=True, help_text="The handwritten signature (blob).")
    record_sha256 = models.CharField(max_length=64, blank=True,
                                     help_text="The distribution record PDF: signed, then sealed on approval.")

    class Meta:
        ordering = ["payout", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["payout", "party"], name="payouts_share_party_once")]

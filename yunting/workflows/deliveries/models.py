"""A document delivered in the case space to one member, the member's opening of it and their signed receipt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeliveryStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("space delivery", "Sent")
    OPENED = "opened", pgettext_lazy("space delivery", "Opened")
    SIGNED = "signed", pgettext_lazy("space delivery", "Receipt signed")


class SpaceDelivery(models.Model):
    """One court-issued e-file document delivered to one member of the case space."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")
    document = models.ForeignKey("efile.Document", on_delete=models.RESTRICT, related_name="+",
                                 help_text="The court-issued e-file document delivered.")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="+",
                              help_text="The party the member receives for (受送达人).")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                  help_text="The member who opens and signs (the party or their lawyer).")
    note = models.CharField(max_length=200, blank=True, help_text="The court's words with the document.")
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.SENT,
                              help_text="Sent → opened → receipt signed.")
    opened_at = models.DateTimeField(null=True, blank=True, help_text="First opening by the recipient (UTC).")
    signed_at = models.DateTimeField(null=True, blank=True, help_text="Receipt signed (UTC).")
    signature_sha256 = models.CharField(max_length=64, blank=True, help_text="The handwritten signature (blob).")
    served = models.BooleanField(default=False,
                                 help_text="The receipt completed electronic service (consent was in force).")
    service_task_id = models.BigIntegerField(null=True, blank=True, help_text="core/service task it completed.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="Court staff who delivered it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "created_at"]), models.Index(fields=["recipient", "status"])]

    def __str__(self):
        return f"送达 {self.document_id} → {self.recipient_id}"

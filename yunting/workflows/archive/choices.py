from django.db import models
from django.utils.translation import gettext_lazy as _


class Retention(models.TextChoices):
    """保管期限 of a litigation file (DOMAIN.md: permanent, 60 or 20 years)."""

    PERMANENT = "permanent", _("Permanent")
    Y60 = "60", _("60 years")
    Y20 = "20", _("20 years")


class TransferDirection(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")


class TransferStatus(models.TextChoices):
    DELIVERED = "delivered", _("Delivered and verified")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Could not be delivered")

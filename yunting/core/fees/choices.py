from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Case acceptance fee")
    APPEAL = "appeal", _("Appeal fee")
    TOP_UP = "top_up", _("Top-up after change to ordinary procedure")
    APPLICATION = "application", _("Application fee")
    OTHER = "other", _("Other litigation fee")


class NoticeState(models.TextChoices):
    """What a notice's stored state can be; "overdue" is not stored: it depends on today (selectors)."""

    UNPAID = "unpaid", _("Unpaid")
    PART_PAID = "part_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")


class Channel(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer (reconciled)")
    ONLINE = "online", _("Online payment")
    COUNTER = "counter", _("Paid at the court")


class ReliefKind(models.TextChoices):
    DEFER = "defer", _("Deferral (缓交)")
    REDUCE = "reduce", _("Reduction (减交)")
    WAIVE = "waive", _("Waiver (免交)")


class ReliefStatus(models.TextChoices):
    PENDING = "pending", _("Pending decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RefundStatus(models.TextChoices):
    DUE = "due", _("Refund due")
    PAID_OUT = "paid_out", _("Paid out")


class LineOutcome(models.TextChoices):
    MATCHED = "matched", _("Matched and recorded")
    DUPLICATE = "duplicate", _("Already recorded")
    UNMATCHED = "unmatched", _("No fee notice matches")
    INVALID = "invalid", _("Line not readable")


class FeeState(models.TextChoices):
    """A case's fee state as the workbench shows it (fee_states)."""

    NONE = "none", _("No fee")
    UNPAID = "unpaid", _("Fee unpaid")
    OVERDUE = "overdue", _("Fee overdue — treat as withdrawn")
    PART_PAID = "part_paid", _("Fee partly paid")
    DEFERRED = "deferred", _("Fee deferred")
    RELIEF_PENDING = "relief_pending", _("Fee relief applied for")
    PAID = "paid", _("Fee paid")
    WAIVED = "waived", _("Fee waived")
    REFUND_DUE = "refund_due", _("Refund due")
    REFUNDED = "refunded", _("Refunded")

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the filer took it back before a decision
    DELETED = "deleted", _("Deleted draft")  # a draft its filer deleted: kept for the record, shown nowhere


EDITABLE = (FilingStatus.DRAFT, FilingStatus.SUPPLEMENT_REQUESTED)
WITHDRAWABLE = (FilingStatus.SUBMITTED, FilingStatus.SUPPLEMENT_REQUESTED)


class NoticeStatus(models.TextChoices):
    NONE = "", _("Not applicable")
    PENDING = "pending", _("Pending")
    DONE = "done", _("Issued")
    FAILED = "failed", _("Failed")


class BatchStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")

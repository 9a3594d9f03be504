from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PointKind(models.TextChoices):
    TOWNSHIP = "township", _("Township or street office")
    MEDIATION_CENTRE = "mediation_centre", _("Mediation centre")
    LAW_FIRM = "law_firm", _("Law firm")
    BANK = "bank", pgettext_lazy("service point kind", "Bank")
    POST_OFFICE = "post_office", _("Post office")
    OTHER = "other", pgettext_lazy("service point kind", "Other")


class Equipment(models.TextChoices):
    SIGNATURE_PAD = "signature_pad", _("Signature pad")
    DOCUMENT_CAMERA = "document_camera", _("Document camera")
    VIDEO_TERMINAL = "video_terminal", _("Video terminal")
    PRINTER = "printer", _("Printer")
    ID_READER = "id_reader", _("ID card reader")


class SessionKind(models.TextChoices):
    HEARING = "hearing", pgettext_lazy("shared court session", "Hearing")
    MEDIATION = "mediation", pgettext_lazy("shared court session", "Mediation")
    WITNESS = "witness", pgettext_lazy("shared court session", "Testimony")


# the room activity → the kind of session attended from a point
SESSION_BY_ACTIVITY = {"hearing": SessionKind.HEARING, "mediation": SessionKind.MEDIATION,
                       "testimony": SessionKind.WITNESS, "witnessing": SessionKind.WITNESS}


class AttendanceStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the court's decision")
    APPROVED = "approved", pgettext_lazy("attendance", "Approved")
    REFUSED = "refused", pgettext_lazy("attendance", "Refused")
    CANCELLED = "cancelled", pgettext_lazy("attendance", "Cancelled")


OPEN_STATUSES = (AttendanceStatus.REQUESTED, AttendanceStatus.APPROVED)

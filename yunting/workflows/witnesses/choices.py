from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApplicationStatus(models.TextChoices):
    """submitted → rejected | objection_period → (objected → in_person | approved) | approved.

    approved: the witness testifies online (the notice is issued); in_person: an objection was upheld, the
    witness testifies in court."""

    SUBMITTED = "submitted", _("Awaiting the judge's decision")
    REJECTED = "rejected", pgettext_lazy("witness application", "Rejected")
    OBJECTION_PERIOD = "objection_period", _("Objection period")
    OBJECTED = "objected", _("Objection awaiting decision")
    APPROVED = "approved", _("Testifies online")
    IN_PERSON = "in_person", _("Testifies in person")


class Stage(models.TextChoices):
    """Where the witness is in the session (the witness's own page follows this)."""

    NOT_INVITED = "not_invited", _("Not invited yet")
    WAITING = "waiting", _("Waiting room")
    CALLED = "called", _("Called: identity check again")
    TESTIFYING = "testifying", _("Testifying")
    DISMISSED = "dismissed", pgettext_lazy("witness stage", "Dismissed")


class StopReason(models.TextChoices):
    PROMPTING = "prompting", _("Someone is prompting the witness")
    LEFT_FRAME = "left_frame", _("The witness left the frame")
    LEADING = "leading", _("A party is leading the witness")
    OTHER = "other", pgettext_lazy("stop reason", "Other")


STOP_LABELS_ZH = {"prompting": "有人提示证人", "left_frame": "证人离开画面", "leading": "当事人诱导证人", "other": "其他"}

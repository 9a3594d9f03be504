from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    """A person's post in a court (and usually a division): who may do what in court administration."""

    JUDGE = "judge", _("Judge")
    JUDGE_ASSISTANT = "judge_assistant", _("Judge assistant")
    CLERK = "clerk", _("Clerk")
    SERVICE_OFFICER = "service_officer", _("Service officer")
    DIVISION_HEAD = "division_head", _("Division head")
    PRESIDENT = "president", _("Court president")
    ARCHIVIST = "archivist", _("Archivist")
    FILING_OFFICER = "filing_officer", _("Filing officer")
    COURT_ADMIN = "court_admin", _("Court administrator")


# posts that also hold the people.Membership role of the same name (which existing access rules read)
MEMBERSHIP_ROLES = {
    StaffRole.JUDGE: "judge", StaffRole.JUDGE_ASSISTANT: "judge_assistant", StaffRole.CLERK: "clerk",
    StaffRole.SERVICE_OFFICER: "service_officer", StaffRole.ARCHIVIST: "archivist",
    StaffRole.FILING_OFFICER: "filing_officer", StaffRole.COURT_ADMIN: "court_admin",
    StaffRole.DIVISION_HEAD: "judge", StaffRole.PRESIDENT: "judge",
}


class AssignProcedure(models.TextChoices):
    SIMPLE = "simple", _("Simple procedure")
    ORDINARY = "ordinary", _("Ordinary procedure")
    SMALL_CLAIMS = "small_claims", _("Small claims")
    EXPEDITED = "expedited", _("Expedited (fast-track team)")


class LifecycleStatus(models.TextChoices):
    """A case's stage folded from its journal (rules.fold)."""

    UNASSIGNED = "registered", _("Registered, awaiting assignment")
    IN_TRIAL = "in_trial", _("In trial")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    JUDGMENT = "judgment", _("Judgment")
    MEDIATION = "mediation", _("Mediation")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    DEEMED_WITHDRAWAL = "deemed_withdrawal", _("Deemed withdrawn")
    DISMISSAL = "dismissal", _("Complaint dismissed")
    REJECTION = "rejection", _("Not accepted")
    TRANSFER = "transfer", _("Transferred")
    OTHER = "other", _("Other")


class RecusalKind(models.TextChoices):
    RELATIVE = "relative", _("Relative")
    FORMER_FIRM = "former_firm", _("Former law firm")
    OTHER = "other", _("Other interest")


class FeeChannel(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer (reconciled from the bank's file)")
    ONLINE = "online", _("Online payment")

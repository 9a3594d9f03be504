from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseCategory(models.TextChoices):
    CIVIL = "civil", _("Civil")
    CRIMINAL = "criminal", _("Criminal")
    ADMINISTRATIVE = "administrative", _("Administrative")
    ENFORCEMENT = "enforcement", _("Enforcement")
    PRESERVATION = "preservation", _("Preservation")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")
    MEDIATION = "mediation", _("Pre-litigation mediation")


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary procedure")
    SIMPLE = "simple", _("Simple procedure")
    SMALL_CLAIMS = "small_claims", _("Small claims")
    SECOND_INSTANCE = "second_instance", _("Second instance")
    SPECIAL = "special", _("Special procedure")
    PAYMENT_ORDER = "payment_order", _("Payment order")
    ENFORCEMENT = "enforcement", _("Enforcement")
    NON_LITIGATION = "non_litigation", _("Non-litigation")
    PRE_LITIGATION = "pre_litigation", _("Pre-litigation mediation")
    SENTENCE_CHANGE = "sentence_change", _("Commutation and parole review")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_TRIAL = "in_trial", _("In trial")
    MEDIATION = "mediation", _("In mediation")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class SecurityLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")


class PartyKind(models.TextChoices):
    NATURAL = "natural", _("Natural person")
    LEGAL = "legal", _("Legal person")
    OTHER_ORG = "other_org", _("Other organisation")


class PartyRole(models.TextChoices):
    PLAINTIFF = "plaintiff", _("Plaintiff")
    DEFENDANT = "defendant", _("Defendant")
    THIRD_PARTY = "third_party", _("Third party")
    APPELLANT = "appellant", _("Appellant")
    APPELLEE = "appellee", _("Appellee")
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    CONVICT = "convict", _("Convicted person")


class CaseRole(models.TextChoices):
    """A person's role in one case: the basis of access (access.py)."""

    PRESIDING_JUDGE = "presiding_judge", _("Presiding judge")
    JUDGE = "judge", _("Judge")
    JUDGE_ASSISTANT = "judge_assistant", _("Judge assistant")
    CLERK = "clerk", _("Clerk")
    FILING_OFFICER = "filing_officer", _("Filing officer")
    SERVICE_OFFICER = "service_officer", _("Service officer")
    ARCHIVIST = "archivist", _("Archivist")
    PARTY = "party", _("Party")
    LAWYER = "lawyer", _("Lawyer")
    MEDIATOR = "mediator", _("Mediator")
    PROCURATOR = "procurator", _("Procurator")
    PRISON_OFFICER = "prison_officer", _("Prison officer")
    APPRAISER = "appraiser", _("Appraiser")
    SERVICE_POINT_STAFF = "service_point_staff", _("Service-point staff")


COURT_CASE_ROLES = frozenset(
    {
        CaseRole.PRESIDING_JUDGE,
        CaseRole.JUDGE,
        CaseRole.JUDGE_ASSISTANT,
        CaseRole.CLERK,
        CaseRole.FILING_OFFICER,
        CaseRole.SERVICE_OFFICER,
        CaseRole.ARCHIVIST,
    }
)

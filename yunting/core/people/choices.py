from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COURT = "court", _("Court")
    BANK = "bank", _("Bank")
    PRISON = "prison", _("Prison")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    APPRAISAL = "appraisal", _("Appraisal institution")
    MEDIATION = "mediation", _("Mediation organisation")
    SERVICE_POINT = "service_point", _("Shared-court service point")
    LAW_FIRM = "law_firm", _("Law firm")


class CourtLevel(models.TextChoices):
    SUPREME = "supreme", _("Supreme court")
    HIGH = "high", _("High court")
    INTERMEDIATE = "intermediate", _("Intermediate court")
    BASIC = "basic", _("Basic court")


class Role(models.TextChoices):
    JUDGE = "judge", _("Judge")
    JUDGE_ASSISTANT = "judge_assistant", _("Judge assistant")
    CLERK = "clerk", _("Clerk")
    FILING_OFFICER = "filing_officer", _("Filing officer")
    SERVICE_OFFICER = "service_officer", _("Service officer")
    ARCHIVIST = "archivist", _("Archivist")
    SCANNER = "scanner", _("Scanning staff")
    COURT_ADMIN = "court_admin", _("Court administrator")
    PARTY = "party", _("Party")
    LAWYER = "lawyer", _("Lawyer")
    MEDIATOR = "mediator", _("Mediator")
    COORDINATOR = "coordinator", _("Mediation coordinator")
    PRISON_OFFICER = "prison_officer", _("Prison officer")
    PROCURATOR = "procurator", _("Procurator")
    APPRAISER = "appraiser", _("Appraiser")
    SERVICE_POINT_STAFF = "service_point_staff", _("Service-point staff")


COURT_STAFF_ROLES = frozenset(
    {
        Role.JUDGE,
        Role.JUDGE_ASSISTANT,
        Role.CLERK,
        Role.FILING_OFFICER,
        Role.SERVICE_OFFICER,
        Role.ARCHIVIST,
        Role.SCANNER,
        Role.COURT_ADMIN,
    }
)

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunting.kernel.security.fields import EncryptedTextField
from yunting.kernel.security.masking import MaskedContactMixin

from .choices import CaseCategory, CaseRole, CaseStatus, PartyKind, PartyRole, Procedure, SecurityLevel


class CaseType(models.Model):
    code = models.CharField(_("type code"), max_length=8, primary_key=True, help_text="类型代字, e.g. 民初.")
    name = models.CharField(_("name"), max_length=50, help_text="e.g. 民事一审.")
    category = models.CharField(max_length=20, choices=CaseCategory.choices, help_text="Major class.")
    default_procedure = models.CharField(max_length=20, choices=Procedure.choices, help_text="Usual procedure.")
    standard_code = models.CharField(max_length=8, blank=True, help_text="Numeric code in the SPC type standard.")

    class Meta:
        verbose_name = _("case type")
        ordering = ["code"]

    def __str__(self):
        return self.code


class Cause(models.Model):
    """案由: the cause of action. Civil causes form the official four-level list (core/cases/causes.py)."""

    code = models.CharField(max_length=16, primary_key=True, help_text="Stable internal code.")
    name = models.CharField(_("cause"), max_length=100, help_text="e.g. 民间借贷纠纷.")
    category = models.CharField(max_length=20, choices=CaseCategory.choices, help_text="Major class.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.RESTRICT, related_name="children",
                               help_text="The broader cause this one is listed under (official list).")
    level = models.PositiveSmallIntegerField(default=0, help_text="1–4 in the official list; 0 for other causes.")
    number = models.CharField(max_length=16, blank=True, help_text="Number as printed: 第四部分, 十, 108, 108.(3).")
    order = models.PositiveIntegerField(default=0, help_text="Position in the official list.")
    selectable = models.BooleanField(default=True, help_text="Can be chosen for a case (parts are groupings only).")
    non_litigation = models.BooleanField(default=False,
                                         help_text="非讼程序案件 (special procedure, payment order…), not a lawsuit.")

    class Meta:
        verbose_name = _("cause")
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["name"], condition=models.Q(selectable=True),
                                               name="cause_selectable_name_unique")]

    def __str__(self):
        return self.name


class CaseNumberSequence(models.Model):
    """The last sequence number handed out per (year, court, tribunal, type); bumped in the case's transaction."""

    year = models.PositiveSmallIntegerField(help_text="Receipt year.")
    court_code = models.CharField(max_length=16, help_text="法院代字.")
    tribunal_code = models.CharField(max_length=2, blank=True, default="", help_text="Special tribunal, e.g. 知.")
    type_code = models.CharField(max_length=8, help_text="类型代字.")
    last_value = models.PositiveIntegerField(default=0, help_text="Highest number already allocated.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "court_code", "tribunal_code", "type_code"], name="caseno_seq_key")
        ]


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=64, unique=True, help_text="（2026）粤0306民初123号.")
    year = models.PositiveSmallIntegerField(help_text="Receipt year in the number.")
    sequence = models.PositiveIntegerField(help_text="Sequence in the number.")
    court = models.ForeignKey(
        "people.Organisation", on_delete=models.RESTRICT, related_name="cases", help_text="Court hearing the case.",
        db_index=False,  # (court, status) serves it
    )
    case_type = models.ForeignKey(CaseType, on_delete=models.RESTRICT, related_name="cases", help_text="Type code.")
    tribunal_code = models.CharField(max_length=2, blank=True, default="", help_text="Special tribunal code.")
    cause = models.ForeignKey(Cause, on_delete=models.RESTRICT, related_name="cases", help_text="案由.")
    title = models.CharField(_("title"), max_length=300, help_text="e.g. 张三诉李四民间借贷纠纷.")
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices, help_text="Procedure.")
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED, help_text="Stage."
    )
    security_level = models.CharField(
        _("security level"), max_length=16, choices=SecurityLevel.choices, default=SecurityLevel.INTERNAL,
        help_text="密级: who may see the case beyond its participants.",
    )
    claim_amount = models.DecimalField(
        _("claim amount"), max_digits=16, decimal_places=2, null=True, blank=True, help_text="Yuan."
    )
    filed_at = models.DateTimeField(_("filed at"), help_text="When the filing was received.")
    registered_at = models.DateTimeField(_("registered at"), help_text="When the case was registered (立案).")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, help_text="结案.")
    journal_length = models.PositiveIntegerField(default=0, help_text="Number of journal entries so far.")
    journal_head = models.CharField(max_length=64, blank=True, default="", help_text="Hash of the last entry.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "court", "tribunal_code", "case_type", "sequence"], name="case_number_parts_unique"
            )
        ]
        indexes = [models.Index(fields=["court", "status"]), models.Index(fields=["registered_at"]),
                   # the workbench's filter choices and count (GROUP BY type, year over the visible ids): read
                   # from the index alone instead of a table row per visible case
                   models.Index(fields=["id", "case_type", "year"], name="case_facets_idx")]

    def __str__(self):
        return self.number


class Party(MaskedContactMixin, models.Model):
    case = models.ForeignKey(Case, on_delete=models.RESTRICT, related_name="parties", help_text="Case.")
    role = models.CharField(_("party role"), max_length=20, choices=PartyRole.choices, help_text="诉讼地位.")
    kind = models.CharField(_("party kind"), max_length=12, choices=PartyKind.choices, help_text="Person or body.")
    name = models.CharField(_("name"), max_length=200, help_text="Name or registered name.")
    id_number = EncryptedTextField(blank=True, default="", help_text="身份证号 for natural persons; encrypted.")
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, help_text="统一社会信用代码 (GB 32100)."
    )
    address = models.CharField(_("address"), max_length=300, blank=True, help_text="Address for service.")
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text="Contact phone.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT, related_name="party_records",
        help_text="The platform account acting as this party, if any.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Order of listing.")

    class Meta:
        verbose_name = _("party")
        ordering = ["case", "order", "id"]

    def __str__(self):
        return self.name


class Participation(models.Model):
    """A person's role in one case. Access to a case follows from these rows (access.py)."""

    case = models.ForeignKey(Case, on_delete=models.RESTRICT, related_name="participations", help_text="Case.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="participations", help_text="Who."
    )
    role = models.CharField(_("case role"), max_length=24, choices=CaseRole.choices, help_text="In what role.")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.RESTRICT, related_name="participations",
        help_text="For parties and lawyers: the party acted for.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        constraints = [models.UniqueConstraint(fields=["case", "user", "role"], name="participation_unique")]
        indexes = [models.Index(fields=["user", "case"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.case}"

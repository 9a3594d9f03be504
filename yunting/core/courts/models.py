"""Court administration as data: divisions, posts, absences, recusals, routing and thresholds; a court-level
hash-chained record of every change; and the per-case lifecycle projection folded from the journal."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AssignProcedure, FeeChannel, LifecycleStatus, Outcome, RecusalKind, StaffRole


class Division(models.Model):
    """庭室 / 团队: 立案庭, 民一庭, 速裁团队 …"""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="divisions",
                              help_text="The court it belongs to.")
    name = models.CharField(_("name"), max_length=60, help_text="e.g. 民一庭.")
    default_procedure = models.CharField(
        _("default procedure"), max_length=20, choices=AssignProcedure.choices, blank=True,
        help_text="Procedure its cases get when assigned by rule (blank: the case type's).")
    active = models.BooleanField(default=True, help_text="Deactivated divisions receive no new cases.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["court", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="division_name_unique")]

    def __str__(self):
        return self.name


class StaffPost(models.Model):
    """One person's post in a court: judge of 民一庭, clerk working with judge X, 庭长 of 速裁团队, 院长 …"""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="posts",
                             help_text="Who.")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices, help_text="Post.")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.RESTRICT, related_name="posts",
                                 help_text="Division (none for court-wide posts such as 院长).")
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=Decimal("1.00"),
                                 help_text="Judges: share of a full caseload (0.5 for a judge who also leads).")
    works_with = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Assistants and clerks: the judge they support.")
    active = models.BooleanField(default=True, help_text="Inactive posts take no new cases and grant nothing.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["court", "division", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["court", "user", "role"], name="staff_post_unique")]
        indexes = [models.Index(fields=["division", "role", "active"])]


class Absence(models.Model):
    """A judge away (leave, training): skipped by assignment from start to end, both included."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="absences",
                             help_text="Who is away.")
    start = models.DateField(help_text="First day away.")
    end = models.DateField(help_text="Last day away.")
    reason = models.CharField(max_length=200, blank=True, help_text="e.g. 年休假.")

    class Meta:
        ordering = ["user", "start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="absence_order")]


class Recusal(models.Model):
    """A name a judge must not sit on (a relative, the former law firm): assignment skips them on such cases."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="recusals",
                             help_text="The judge.")
    kind = models.CharField(max_length=20, choices=RecusalKind.choices, help_text="Why.")
    name = models.CharField(max_length=200, help_text="Party or law firm name, matched exactly.")
    note = models.CharField(max_length=200, blank=True, help_text="e.g. 配偶.")

    class Meta:
        ordering = ["user", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="recusal_unique")]


class CauseRoute(models.Model):
    """Which division takes which cause (a broader cause covers its narrower ones)."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    cause = models.ForeignKey("cases.Cause", on_delete=models.RESTRICT, related_name="+", help_text="案由.")
    division = models.ForeignKey(Division, on_delete=models.RESTRICT, related_name="routes", help_text="Division.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "cause"], name="cause_route_unique")]


class SmallClaimsThreshold(models.Model):
    """小额诉讼 ceiling: 50% of the province's previous-year average wage (CPL 165), published per year."""

    province = models.CharField(max_length=8, help_text="Province abbreviation as in court codes, e.g. 粤.")
    year = models.PositiveSmallIntegerField(help_text="Year it applies to.")
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="Yuan.")

    class Meta:
        ordering = ["province", "-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="small_claims_unique")]


class CourtSettings(models.Model):
    court = models.OneToOneField("people.Organisation", on_delete=models.RESTRICT, related_name="court_settings",
                                 help_text="Court.")
    default_division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", help_text="Takes causes no route names.")
    fee_channel = models.CharField(max_length=20, choices=FeeChannel.choices, default=FeeChannel.BANK_TRANSFER,
                                   help_text="How parties pay litigation fees.")
    auto_assign = models.BooleanField(default=True, help_text="Assign by rule as soon as a filing is accepted.")
    updated_at = models.DateTimeField(auto_now=True)


class CourtRecord(models.Model):
    """A court-level act (a division created, a person's post changed, a setting): append-only, hash-chained
    per court like a case journal, because changes to who judges what must leave a trace too."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    seq = models.PositiveIntegerField(help_text="1, 2, 3 … within the court.")
    kind = models.CharField(max_length=64, help_text="e.g. court.division_created.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                              related_name="+", help_text="Who.")
    actor_label = models.CharField(max_length=200, blank=True, help_text="Name at the time.")
    payload = models.JSONField(default=dict, help_text="What changed.")
    recorded_at = models.DateTimeField(help_text="UTC.")
    prev_hash = models.CharField(max_length=64, help_text="Hash of the court's previous record.")
    entry_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256(prev ‖ canonical JSON).")

    class Meta:
        ordering = ["court", "-seq"]
        constraints = [models.UniqueConstraint(fields=["court", "seq"], name="court_record_seq_unique")]


class CaseState(models.Model):
    """The case's lifecycle as its journal states it (rules.fold), kept by a recorder in the appending
    transaction: a projection for lists and counts, never edited by hand."""

    case = models.OneToOneField("cases.Case", on_delete=models.RESTRICT, primary_key=True, related_name="state",
                                help_text="Case.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    status = models.CharField(max_length=20, choices=LifecycleStatus.choices, default=LifecycleStatus.UNASSIGNED,
                              help_text="Stage.")
    procedure = models.CharField(max_length=20, blank=True, help_text="Procedure as assigned or changed.")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                 help_text="Division holding the case.")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                              related_name="+", help_text="承办法官.")
    judge_name = models.CharField(max_length=100, blank=True, help_text="Name at assignment.")
    reason = models.CharField(max_length=500, blank=True, help_text="Why this judge (rule or manual reason).")
    auto = models.BooleanField(default=False, help_text="Assigned by rule.")
    assigned_on = models.DateField(null=True, blank=True, help_text="Latest assignment (Shanghai date).")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, help_text="结案方式.")
    closed_on = models.DateField(null=True, blank=True, help_text="结案日期.")

    class Meta:
        indexes = [models.Index(fields=["court", "status"]), models.Index(fields=["judge", "status"]),
                   models.Index(fields=["division", "status"]), models.Index(fields=["court", "closed_on"])]

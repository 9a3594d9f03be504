from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourtClosure(models.Model):
    """A day the court declared closed (typhoon, system outage…): a rest day for that court's deadlines, on top of
    the official holiday calendar. The working calendar as data."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="closures",
                              help_text="The court that declared the day closed.")
    day = models.DateField(_("day"), help_text="The closed day (Asia/Shanghai).")
    reason = models.CharField(_("reason"), max_length=200, help_text="Why, as announced, e.g. 台风红色预警停止办公.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text="Who declared it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("court closure")
        ordering = ["court", "day"]
        constraints = [models.UniqueConstraint(fields=["court", "day"], name="closure_court_day_unique")]

    def __str__(self):
        return f"{self.court} · {self.day}"


class Deadline(models.Model):
    """One deadline of one case as last computed from its journal (rules.fold): an index for lists, warnings and
    the workbench. The journal is the truth; this table can be rebuilt from it at any time (clocks_recompute)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines", help_text="Case.",
                             db_index=False)  # (case, key) serves it
    court = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, related_name="+",
                              db_index=False,  # (court, state, due) serves it
                              help_text="The case's court, for court-wide lists.")
    key = models.CharField(max_length=80, help_text="Stable within the case: trial, answer:12, fee:acceptance …")
    kind = models.CharField(max_length=40, help_text="Calculator kind, e.g. trial-simple (yunting deadline KIND).")
    label = models.CharField(max_length=100, help_text="As a court writes it, e.g. 审理期限（简易程序）.")
    starts_on = models.DateField(help_text="The event the period runs from (not counted).")
    due = models.DateField(help_text="The last day.")
    state = models.CharField(max_length=12, help_text="running | suspended | done.")
    court_duty = models.BooleanField(default=False, help_text="The court's clock (overdue is a breach), not a party's.")
    basis = models.CharField(max_length=200, help_text="Legal basis.")
    excluded_days = models.PositiveIntegerField(default=0, help_text="Days not counted (suspension, 公告, 鉴定 …).")
    extension_months = models.PositiveSmallIntegerField(default=0, help_text="Approved extensions.")
    provisional = models.BooleanField(default=False, help_text="Counted on a year without an official calendar.")
    party_id = models.BigIntegerField(null=True, blank=True, help_text="The party a party period belongs to.")
    party_name = models.CharField(max_length=200, blank=True, help_text="That party's name.")
    note = models.CharField(max_length=200, blank=True, help_text="E.g. 已缴纳, 自 … 起中止.")
    pending_extension = models.PositiveSmallIntegerField(
        default=0, help_text="Months of an extension request waiting for a decision (trial clock only).")

    class Meta:
        verbose_name = _("deadline")
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="deadline_case_key_unique")]
        indexes = [models.Index(fields=["state", "due"]), models.Index(fields=["court", "state", "due"])]

    def __str__(self):
        return f"{self.case_id} {self.key} → {self.due}"


class Digest(models.Model):
    """One person's daily deadline digest in the in-app inbox (and the SMS outbox when configured)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_digests",
                             help_text="Recipient.")
    day = models.DateField(help_text="The day (Asia/Shanghai) it covers.")
    items = models.JSONField(default=list, help_text="[{case_id, number, label, due, status}] at sending time.")
    overdue = models.PositiveIntegerField(default=0, help_text="How many were overdue.")
    near = models.PositiveIntegerField(default=0, help_text="How many were due within 3 working days.")
    read_at = models.DateTimeField(null=True, blank=True, help_text="When the recipient opened it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline digest")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_user_day_unique")]

"""Fee notices, payments, relief applications, refunds and bank reconciliation imports.

Every change to these rows is made by services.py in the same transaction as the journal entry that records it;
the stored `state` and `paid_amount` are a cache of those entries kept for fast lists (the workbench)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Channel, NoticeKind, NoticeState, RefundStatus, ReliefKind, ReliefStatus

MONEY = {"max_digits": 16, "decimal_places": 2}


class FeeNotice(models.Model):
    """交费通知: what a party must pay on a case, by when, and how much is paid."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="fee_notices",
                             help_text="The case the fee is owed on.")
    kind = models.CharField(_("fee kind"), max_length=16, choices=NoticeKind.choices, help_text="What the fee is for.")
    amount = models.DecimalField(_("amount"), **MONEY, help_text="Yuan, as the notice states it.")
    amount_due = models.DecimalField(_("amount due"), **MONEY,
                                     help_text="Yuan still owed in total after any approved reduction or waiver.")
    paid_amount = models.DecimalField(_("paid"), **MONEY, default=Decimal("0.00"),
                                      help_text="Sum of the recorded payments.")
    halved = models.BooleanField(default=False, help_text="Already halved (simple procedure): never halved twice.")
    calc_kind = models.CharField(max_length=32, blank=True, default="",
                                 help_text="The fee calculator's kind (property, divorce…), when known.")
    payer = models.CharField(_("payer"), max_length=200, blank=True, default="", help_text="Who must pay (names).")
    issued_on = models.DateField(_("issued on"), help_text="Day the notice was issued (Asia/Shanghai).")
    served_on = models.DateField(_("served on"), null=True, blank=True,
                                 help_text="Day the notice was served, once service records it.")
    due_on = models.DateField(_("due on"), help_text="Last day to pay: 7 days from service (or issue), CPL art 85.")
    due_provisional = models.BooleanField(default=False,
                                          help_text="The official holiday calendar of the due year is not out yet.")
    deferred = models.BooleanField(default=False, help_text="A deferral (缓交) was approved: due_on was moved.")
    reference = models.CharField(_("payment reference"), max_length=20, unique=True,
                                 help_text="缴费识别码 the payer writes on the bank transfer.")
    state = models.CharField(_("state"), max_length=12, choices=NoticeState.choices, default=NoticeState.UNPAID,
                             help_text="Unpaid, partly paid, paid or waived (overdue is derived from today).")
    source_entry_id = models.BigIntegerField(null=True, blank=True, unique=True,
                                             help_text="The journal entry this notice followed from (idempotency).")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                  related_name="+", help_text="Who issued it (none when automatic).")
    created_at = models.DateTimeField(auto_now_add=True, help_text="Row created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="Row last changed.")

    class Meta:
        verbose_name = _("fee notice")
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["state", "due_on"]), models.Index(fields=["case", "state"])]

    def __str__(self):
        return f"{self.reference} · {self.amount}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_due - self.paid_amount, Decimal("0.00"))


class BankImport(models.Model):
    """One bank statement (CSV) imported for reconciliation, stored first, with its per-line report."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+",
                              help_text="The court whose fee account the statement is of.")
    sha256 = models.CharField(max_length=64, help_text="The statement's bytes in blob storage.")
    filename = models.CharField(max_length=255, blank=True, default="", help_text="Name as uploaded.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                    help_text="Who imported it.")
    line_count = models.PositiveIntegerField(default=0, help_text="Payment lines read.")
    matched_count = models.PositiveIntegerField(default=0, help_text="Lines recorded as payments.")
    matched_total = models.DecimalField(**MONEY, default=Decimal("0.00"), help_text="Yuan recorded from this file.")
    report = models.JSONField(default=list, blank=True,
                              help_text="Per line: line, reference, amount, date, outcome, message, case.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was imported.")

    class Meta:
        verbose_name = _("bank statement import")
        ordering = ["-created_at", "-id"]


class Payment(models.Model):
    """Money received against a notice, by whichever channel; (channel, transaction) is never counted twice."""

    notice = models.ForeignKey(FeeNotice, on_delete=models.RESTRICT, related_name="payments", help_text="Notice.")
    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Its case.")
    amount = models.DecimalField(_("amount"), **MONEY, help_text="Yuan received.")
    paid_on = models.DateField(_("paid on"), help_text="Value date of the payment.")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, help_text="How it was paid.")
    transaction = models.CharField(max_length=120, help_text="The channel's transaction key (bank line, gateway id).")
    reference = models.CharField(max_length=120, blank=True, default="", help_text="Reference as the payer wrote it.")
    payer_name = models.CharField(max_length=200, blank=True, default="", help_text="Payer as the bank reports.")
    bank_import = models.ForeignKey(BankImport, null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="payments", help_text="The statement it came from, if any.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="+", help_text="Who recorded it.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was recorded.")

    class Meta:
        verbose_name = _("payment")
        ordering = ["notice", "paid_on", "id"]
        constraints = [models.UniqueConstraint(fields=["channel", "transaction"], name="fee_payment_once")]


class ReliefApplication(models.Model):
    """司法救助: an application to defer, reduce or waive a fee, and its decision (诉讼费用交纳办法 arts 44–48)."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")
    notice = models.ForeignKey(FeeNotice, on_delete=models.RESTRICT, related_name="reliefs", help_text="Notice.")
    kind = models.CharField(_("relief"), max_length=8, choices=ReliefKind.choices, help_text="缓 / 减 / 免.")
    reason = models.TextField(_("reason"), help_text="Why the applicant cannot pay.")
    requested_amount = models.DecimalField(**MONEY, null=True, blank=True,
                                           help_text="Reduce: the amount the applicant offers to pay.")
    requested_until = models.DateField(null=True, blank=True, help_text="Defer: the day the applicant asks for.")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                  help_text="Who applied.")
    status = models.CharField(max_length=10, choices=ReliefStatus.choices, default=ReliefStatus.PENDING,
                              help_text="Pending, approved or refused.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Who decided.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When.")
    decision_reason = models.TextField(blank=True, default="", help_text="The decision's reasons.")
    approved_amount = models.DecimalField(**MONEY, null=True, blank=True,
                                          help_text="Amount due after the decision (reduce / waive).")
    approved_until = models.DateField(null=True, blank=True, help_text="New last day to pay (defer).")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When applied.")

    class Meta:
        verbose_name = _("fee relief application")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["notice"], condition=models.Q(status="pending"),
                                               name="fee_one_pending_relief")]


class Refund(models.Model):
    """Fee paid back: computed when the case closes (mediation, withdrawal: half; dismissal: all), then paid out."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")
    notice = models.OneToOneField(FeeNotice, on_delete=models.RESTRICT, related_name="refund", help_text="Notice.")
    amount = models.DecimalField(_("amount"), **MONEY, help_text="Yuan to pay back.")
    reason = models.CharField(_("reason"), max_length=300, help_text="Outcome and legal basis.")
    outcome = models.CharField(max_length=24, help_text="The case's outcome that caused it.")
    status = models.CharField(max_length=10, choices=RefundStatus.choices, default=RefundStatus.DUE,
                              help_text="Due or paid out.")
    paid_out_on = models.DateField(null=True, blank=True, help_text="Day the money went back.")
    paid_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="+", help_text="Who recorded the payout.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When computed.")

    class Meta:
        verbose_name = _("refund")
        ordering = ["-created_at", "-id"]

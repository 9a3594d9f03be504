"""Writes: fee notices, payments (bank reconciliation, online, counter), relief, refunds.

Each service changes its rows and appends its journal entry in one transaction; a refusal changes nothing.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.models import Case
from yunting.core.journal.services import journal_append
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed
from yunting.kernel.common.timeutil import shanghai_today

from . import entries, rules
from .access import decides_relief, handles_payments, pays_for
from .choices import Channel, LineOutcome, NoticeKind, NoticeState, RefundStatus, ReliefKind, ReliefStatus
from .errors import FeeErrorCode
from .models import BankImport, FeeNotice, Payment, Refund, ReliefApplication
from .payments import online_gateway
from .payments.bank_csv import BadLine, StatementUnreadable, parse_statement

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_RE = re.compile(r"YT[2-9A-HJ-NP-Z]{10}")
CASE_NUMBER_RE = re.compile(r"[（(]\d{4}[）)][^\s,，;；()（）]{2,30}?号")
STATEMENT_MAX_BYTES = 20 * 1024 * 1024
PAYING_ROLES = ("plaintiff", "appellant", "applicant")
# every line of a statement's report has the same keys, whatever became of it
BLANK_ROW = {"line": 0, "reference": "", "amount": "", "date": "", "case": "", "case_id": None, "notice_id": None,
             "outcome": "", "message": "", "raw": ""}


def _denied() -> PermissionDenied:
    return PermissionDenied(_("You may not do this with the fees of this case."), code=FeeErrorCode.NOT_ALLOWED)


def _new_reference() -> str:
    while True:
        ref = "YT" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(10))
        if not FeeNotice.objects.filter(reference=ref).exists():
            return ref


def _amount(value, *, allow_zero: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero) \
            or amount != amount.quantize(rules.CENT) or amount >= 10**13:
        raise ValidationFailed(_("Enter an amount in yuan above 0, with at most two decimals."),
                               code=FeeErrorCode.AMOUNT_INVALID, data={"amount": str(value)})
    return amount.quantize(rules.CENT)


def _lock(notice: FeeNotice) -> FeeNotice:
    return FeeNotice.objects.select_for_update().select_related("case").get(pk=notice.pk)


def _state_of(notice: FeeNotice) -> str:
    if notice.amount_due == 0:
        return NoticeState.WAIVED if notice.paid_amount == 0 else NoticeState.PAID
    if notice.paid_amount >= notice.amount_due:
        return NoticeState.PAID
    return NoticeState.PART_PAID if notice.paid_amount > 0 else NoticeState.UNPAID


# --- notices --------------------------------------------------------------------------------------------------
@transaction.atomic
def fee_notice_issue(*, case: Case, amount, kind: str = NoticeKind.ACCEPTANCE, actor=None,
                     issued_on: date | None = None, halved: bool = False, calc_kind: str = "", payer: str = "",
                     source_entry_id: int | None = None) -> FeeNotice | None:
    """Issue a fee notice (交费通知) on a case: due 7 days after issue until service records its own date.

    Idempotent on `source_entry_id` (the entry it follows from); a free case (amount 0) gets no notice (None)."""
    if source_entry_id is not None and (found := FeeNotice.objects.filter(source_entry_id=source_entry_id).first()):
        return found
    amount = _amount(amount, allow_zero=True)
    if amount == 0:
        return None
    if kind not in NoticeKind.values:
        raise ValidationFailed(_("Unknown fee kind."), code=FeeErrorCode.AMOUNT_INVALID, data={"kind": kind})
    issued_on = issued_on or shanghai_today()
    due_on, provisional = rules.payment_due(issued_on)
    if not payer:
        payer = "、".join(case.parties.filter(role__in=PAYING_ROLES)
                          .order_by("order", "id").values_list("name", flat=True))
    notice = FeeNotice.objects.create(
        case=case, kind=kind, amount=amount, amount_due=amount, halved=halved, calc_kind=calc_kind, payer=payer[:200],
        issued_on=issued_on, due_on=due_on, due_provisional=provisional, reference=_new_reference(),
        source_entry_id=source_entry_id, issued_by=actor,
    )
    journal_append(case=case, kind=entries.NOTICE_ISSUED, actor=actor, payload={
        "notice_id": notice.pk, "amount": str(amount), "kind": kind, "issued_on": issued_on.isoformat(),
        "due_on": due_on.isoformat(), "reference": notice.reference, "halved": halved,
    })
    return notice


@transaction.atomic
def fee_notice_served(*, case: Case, served_on: date) -> int:
    """Service of the fee notice is recorded: the 7 days now run from that day (FEE art 22). Returns how many
    open notices moved."""
    moved = 0
    for notice in FeeNotice.objects.select_for_update().filter(
            case=case, state__in=(NoticeState.UNPAID, NoticeState.PART_PAID), deferred=False, served_on__isnull=True):
        notice.served_on = served_on
        notice.due_on, notice.due_provisional = rules.payment_due(served_on)
        notice.save(update_fields=["served_on", "due_on", "due_provisional", "updated_at"])
        moved += 1
    return moved


def fee_top_up_on_procedure_change(*, case: Case, from_procedure: str, to_procedure: str,
                                   source_entry_id: int | None = None) -> FeeNotice | None:
    """简易 (or 小额) → 普通: the acceptance fee was halved for simple procedure; the other half is now owed, due 7
    days from the notice (CPLI art 199). One top-up per acceptance notice; None when nothing was halved."""
    if from_procedure not in ("simple", "small_claims") or to_procedure != "ordinary":
        return None
    halved = FeeNotice.objects.filter(case=case, kind=NoticeKind.ACCEPTANCE, halved=True).order_by("id").first()
    if halved is None or FeeNotice.objects.filter(case=case, kind=NoticeKind.TOP_UP).exists():
        return None
    full = None
    if halved.calc_kind:
        from yunting.workflows.filing.fees import fee_estimate_for_court  # the one fee calculator

        try:
            full = Decimal(fee_estimate_for_court(halved.calc_kind, case.claim_amount, False)["fee"])
        except (ValidationFailed, KeyError, ValueError, ArithmeticError):
            full = None
    top_up = (full - halved.amount) if full is not None and full > halved.amount else halved.amount
    return fee_notice_issue(case=case, amount=top_up, kind=NoticeKind.TOP_UP, payer=halved.payer,
                            calc_kind=halved.calc_kind, source_entry_id=source_entry_id)


# --- payments -------------------------------------------------------------------------------------------------
@transaction.atomic
def fee_payment_record(*, notice: FeeNotice, amount, paid_on: date, channel: str, transaction_key: str,
                       reference: str = "", payer_name: str = "", actor=None,
                       bank_import: BankImport | None = None) -> Payment:
    """Record money received against a notice. The same (channel, transaction) is never recorded twice."""
    amount = _amount(amount)
    notice = _lock(notice)
    if notice.state == NoticeState.WAIVED:
        raise Conflict(_("This fee was waived; nothing is owed on it."), code=FeeErrorCode.NOTICE_SETTLED)
    if Payment.objects.filter(channel=channel, transaction=transaction_key).exists():
        raise Conflict(_("This payment is already recorded."), code="fee_payment_duplicate",
                       data={"transaction": transaction_key})
    payment = Payment.objects.create(
        notice=notice, case_id=notice.case_id, amount=amount, paid_on=paid_on, channel=channel,
        transaction=transaction_key[:120], reference=reference[:120], payer_name=payer_name[:200],
        bank_import=bank_import, recorded_by=actor,
    )
    notice.paid_amount += amount
    notice.state = _state_of(notice)
    notice.save(update_fields=["paid_amount", "state", "updated_at"])
    journal_append(case=notice.case, kind=entries.PAID, actor=actor, payload={
        "notice_id": notice.pk, "amount": str(amount), "paid_on": paid_on.isoformat(),
        "reference": reference[:120] or notice.reference, "channel": channel,
    })
    return payment


def fee_payment_counter(*, notice: FeeNotice, actor, amount, paid_on: date, receipt: str) -> Payment:
    """Money taken at the court's counter, recorded by fee staff against the receipt number."""
    if not handles_payments(actor, notice.case.court_id):
        raise _denied()
    if not receipt.strip():
        raise ValidationFailed(_("Enter the receipt number."), code=FeeErrorCode.AMOUNT_INVALID)
    return fee_payment_record(notice=notice, amount=amount, paid_on=paid_on, channel=Channel.COUNTER,
                              transaction_key=f"{notice.case.court_id}:{receipt.strip()}", reference=receipt.strip(),
                              actor=actor)


def fee_pay_online(*, notice: FeeNotice, actor) -> Payment:
    """A party (or lawyer) pays the outstanding amount through the configured online gateway."""
    if not pays_for(actor, notice.case):
        raise _denied()
    gateway = online_gateway()
    if gateway is None:
        raise Conflict(_("Online payment is not offered by this court; pay by bank transfer with the reference."),
                       code=FeeErrorCode.GATEWAY_OFF)
    if notice.state in (NoticeState.PAID, NoticeState.WAIVED) or notice.outstanding <= 0:
        raise Conflict(_("Nothing is outstanding on this fee notice."), code=FeeErrorCode.NOTICE_SETTLED)
    result = gateway.charge(reference=notice.reference, amount=notice.outstanding, payer=actor.display_name)
    if not result.approved:
        raise Conflict(_("The payment was declined: %(message)s") % {"message": result.message},
                       code=FeeErrorCode.GATEWAY_DECLINED)
    return fee_payment_record(notice=notice, amount=result.amount, paid_on=result.paid_on, channel=Channel.ONLINE,
                              transaction_key=f"{gateway.name}:{result.transaction}", reference=notice.reference,
                              payer_name=actor.display_name, actor=actor)


def _reference_of(text: str) -> str | None:
    m = REFERENCE_RE.search(re.sub(r"[\s\-_]", "", text).upper())
    return m[0] if m else None


def _case_number_of(text: str) -> str | None:
    m = CASE_NUMBER_RE.search(text.replace(" ", ""))
    return m[0].replace("(", "（").replace(")", "）") if m else None


def _notices_for_lines(court_id: int, texts: list[str]) -> dict[str, FeeNotice]:
    """{remark: the notice it pays} for a statement's remarks, in two queries (locked on PostgreSQL): by the
    reference (缴费识别码) anywhere in the remark, else by a case number in it when that case has one notice
    still open (or only one notice at all)."""
    refs = {t: r for t in texts if (r := _reference_of(t))}
    numbers = {t: n for t in texts if t not in refs and (n := _case_number_of(t))}
    qs = FeeNotice.objects.select_for_update(of=("self",)).select_related("case").filter(case__court_id=court_id)
    by_ref = {n.reference: n for n in qs.filter(reference__in=set(refs.values()))} if refs else {}
    by_case: dict[str, list[FeeNotice]] = {}
    if numbers:
        for n in qs.filter(case__number__in=set(numbers.values())).exclude(state=NoticeState.WAIVED).order_by("id"):
            by_case.setdefault(n.case.number, []).append(n)
    out = {t: by_ref[r] for t, r in refs.items() if r in by_ref}
    for text, number in numbers.items():
        found = by_case.get(number, [])
        open_ = [n for n in found if n.state in (NoticeState.UNPAID, NoticeState.PART_PAID)]
        if len(open_) == 1 or (len(found) == 1 and not open_):
            out[text] = open_[0] if open_ else found[0]
    return out


def _save_totals(notices: list[FeeNotice]) -> None:
    """The notices' new paid totals and states, as one executemany on the driver's cursor: bulk_update builds a
    CASE expression per row and cost more than the rest of an import."""
    from django.db import connection

    from yunting.kernel.common import rawsql

    now = timezone.now()
    fields = [FeeNotice._meta.get_field(n) for n in ("paid_amount", "state", "updated_at")]
    rows = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, (n.paid_amount, n.state, now), strict=True)]
            + [n.pk] for n in notices]
    if rows:
        with rawsql.cursor() as cur:
            cur.executemany(f"UPDATE {FeeNotice._meta.db_table} SET paid_amount = %s, state = %s, updated_at = %s"
                            " WHERE id = %s", rows)


def fee_statement_import(*, court, actor, data: bytes, filename: str = "") -> BankImport:
    """对账: import a bank statement (CSV) and record each line that pays a fee notice of this court.

    The file is stored first; every line gets an outcome in the report (matched, duplicate, unmatched, invalid)
    and one bad line never stops the others. Importing the same statement again records nothing twice: a line's
    key is the bank's transaction number, or (remark, amount, date, how many such lines came before in the file).
    The payments, the notices' new totals and the `fee.paid` entries are written in bulk, in one transaction."""
    from yunting.core.journal.services import EntryInput, journal_append_many
    from yunting.kernel.blobs.store import blob_put_bytes

    if not handles_payments(actor, court.pk):
        raise _denied()
    if not data or not data.strip():
        raise ValidationFailed(_("The statement is empty."), code=FeeErrorCode.STATEMENT_EMPTY)
    if len(data) > STATEMENT_MAX_BYTES:
        raise ValidationFailed(_("The statement is too large (at most 20 MB)."), code=FeeErrorCode.STATEMENT_UNREADABLE)
    try:
        lines = parse_statement(data)
    except StatementUnreadable:
        raise ValidationFailed(_("The statement is not a readable CSV file (UTF-8 or GBK)."),
                               code=FeeErrorCode.STATEMENT_UNREADABLE) from None
    if not lines:
        raise ValidationFailed(_("The statement has no payment lines."), code=FeeErrorCode.STATEMENT_EMPTY)
    blob = blob_put_bytes(data, mime_type="text/csv", max_bytes=STATEMENT_MAX_BYTES)
    with transaction.atomic():
        statement = BankImport.objects.create(court=court, sha256=blob.sha256, filename=filename[:255],
                                              uploaded_by=actor, line_count=len(lines))
        good = [line for line in lines if not isinstance(line, BadLine)]
        notices = _notices_for_lines(court.pk, list({line.reference for line in good}))
        seen: Counter = Counter()
        keys = {}
        for line in good:
            triple = (line.reference, line.amount, line.paid_on)
            seen[triple] += 1
            keys[line.line] = f"{court.pk}:" + (
                line.transaction or f"{line.reference}|{line.amount}|{line.paid_on}|{seen[triple]}")
        taken = set(Payment.objects.filter(channel=Channel.BANK_TRANSFER, transaction__in=list(keys.values()))
                    .values_list("transaction", flat=True))
        report, payments, items, changed, total = [], [], [], {}, Decimal("0.00")
        for line in lines:
            if isinstance(line, BadLine):
                report.append({**BLANK_ROW, "line": line.line, "outcome": LineOutcome.INVALID,
                               "message": line.message, "raw": line.raw})
                continue
            row = {**BLANK_ROW, "line": line.line, "reference": line.reference, "amount": str(line.amount),
                   "date": line.paid_on.isoformat()}
            notice = notices.get(line.reference)
            if notice is None:
                report.append({**row, "outcome": LineOutcome.UNMATCHED,
                               "message": _("No fee notice of this court matches this reference.")})
                continue
            row |= {"case": notice.case.number, "case_id": notice.case_id, "notice_id": notice.pk}
            key = keys[line.line]
            if key in taken:
                report.append({**row, "outcome": LineOutcome.DUPLICATE, "message": _("This payment is already recorded.")})
                continue
            if notice.state == NoticeState.WAIVED:
                report.append({**row, "outcome": LineOutcome.UNMATCHED,
                               "message": _("This fee was waived; nothing is owed on it.")})
                continue
            taken.add(key)
            payments.append(Payment(notice=notice, case_id=notice.case_id, amount=line.amount, paid_on=line.paid_on,
                                    channel=Channel.BANK_TRANSFER, transaction=key[:120], reference=line.reference,
                                    payer_name=line.payer, bank_import=statement, recorded_by=actor))
            notice.paid_amount += line.amount
            notice.state = _state_of(notice)
            changed[notice.pk] = notice
            items.append(EntryInput(case=notice.case, kind=entries.PAID, actor=actor, payload={
                "notice_id": notice.pk, "amount": str(line.amount), "paid_on": line.paid_on.isoformat(),
                "reference": line.reference, "channel": Channel.BANK_TRANSFER}))
            message = _("Recorded.")
            if notice.paid_amount > notice.amount_due:
                message = _("Recorded; %(over)s yuan more than due (refundable).") % {
                    "over": notice.paid_amount - notice.amount_due}
            elif notice.paid_amount < notice.amount_due:
                message = _("Recorded; %(left)s yuan still owed.") % {"left": notice.amount_due - notice.paid_amount}
            report.append({**row, "outcome": LineOutcome.MATCHED, "message": str(message)})
            total += line.amount
        Payment.objects.bulk_create(payments, batch_size=500)
        _save_totals(list(changed.values()))
        journal_append_many(items)
        statement.report, statement.matched_count, statement.matched_total = report, len(payments), total
        statement.save(update_fields=["report", "matched_count", "matched_total"])
    return statement


# --- relief (缓减免) -------------------------------------------------------------------------------------------
def _parse_day(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(_("Enter the date as YYYY-MM-DD."), code=FeeErrorCode.DATE_INVALID,
                               data={"date": str(value)}) from None


@transaction.atomic
def fee_relief_apply(*, notice: FeeNotice, actor, kind: str, reason: str, amount=None,
                     until=None) -> ReliefApplication:
    """A party applies for 缓交 (defer, with the day asked for), 减交 (reduce, with the amount offered: at least
    30% less) or 免交 (waive: natural persons only)."""
    notice = _lock(notice)
    case = notice.case
    if not pays_for(actor, case):
        raise _denied()
    if kind not in ReliefKind.values:
        raise ValidationFailed(_("Choose deferral, reduction or waiver."), code=FeeErrorCode.RELIEF_KIND)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationFailed(_("Give the reason for the application (at least a few words)."),
                               code=FeeErrorCode.RELIEF_REASON)
    if notice.state in (NoticeState.PAID, NoticeState.WAIVED):
        raise Conflict(_("This fee is already settled."), code=FeeErrorCode.NOTICE_SETTLED)
    if ReliefApplication.objects.filter(notice=notice, status=ReliefStatus.PENDING).exists():
        raise Conflict(_("An application on this fee is already waiting for a decision."),
                       code=FeeErrorCode.RELIEF_PENDING)
    requested_amount = requested_until = None
    if kind == ReliefKind.REDUCE:
        requested_amount = _amount(amount if amount not in (None, "") else "x")
        if not rules.reduction_allowed(notice.amount_due, requested_amount):
            raise ValidationFailed(
                _("A reduction must leave at most 70%% of the fee to pay (at most %(max)s yuan), and more than 0.")
                % {"max": rules.money(notice.amount_due * (1 - rules.MIN_REDUCTION))},
                code=FeeErrorCode.RELIEF_REDUCTION)
    elif kind == ReliefKind.DEFER:
        requested_until = _parse_day(until)
        if requested_until is None or requested_until <= notice.due_on:
            raise ValidationFailed(_("Ask for a day after the current last day to pay (%(due)s).")
                                   % {"due": notice.due_on.isoformat()}, code=FeeErrorCode.RELIEF_DATE)
    elif not _is_natural_person(actor, case):
        raise ValidationFailed(_("Only a natural person may have the fee waived (诉讼费用交纳办法 art 44)."),
                               code=FeeErrorCode.RELIEF_WAIVER_PERSON)
    application = ReliefApplication.objects.create(
        case=case, notice=notice, kind=kind, reason=reason[:4000], requested_amount=requested_amount,
        requested_until=requested_until, applicant=actor)
    payload = {"kind": kind, "reason": reason[:4000], "notice_id": notice.pk, "application_id": application.pk}
    if requested_amount is not None:
        payload["amount"] = str(requested_amount)
    if requested_until is not None:
        payload["defer_until"] = requested_until.isoformat()
    journal_append(case=case, kind=entries.RELIEF_REQUESTED, actor=actor, payload=payload)
    return application


def _is_natural_person(user, case) -> bool:
    """The party the applicant is or acts for is a natural person; for a lawyer not tied to one party, every
    paying party (plaintiffs, appellants, applicants) is."""
    from yunting.core.cases.models import Participation

    kinds = set(Participation.objects.filter(user=user, case=case, party__isnull=False)
                .values_list("party__kind", flat=True))
    kinds = kinds or set(case.parties.filter(user=user).values_list("kind", flat=True))
    kinds = kinds or set(case.parties.filter(role__in=PAYING_ROLES).values_list("kind", flat=True))
    return kinds == {"natural"}


@transaction.atomic
def fee_relief_decide(*, application: ReliefApplication, actor, approve: bool, reason: str = "", amount=None,
                      until=None) -> ReliefApplication:
    """Decide a relief application. Approval of a deferral moves the last day to pay; of a reduction sets the
    amount due (at least 30% off); of a waiver sets it to 0. The court may approve other terms than asked."""
    application = ReliefApplication.objects.select_for_update().select_related("notice", "case").get(
        pk=application.pk)
    if not decides_relief(actor, application.case):
        raise _denied()
    if application.status != ReliefStatus.PENDING:
        raise Conflict(_("This application has already been decided."), code=FeeErrorCode.RELIEF_DECIDED)
    notice = _lock(application.notice)
    reason = (reason or "").strip()
    if not approve and len(reason) < 2:
        raise ValidationFailed(_("Give the reason for refusing."), code=FeeErrorCode.RELIEF_REASON)
    new_amount, new_until = notice.amount_due, None
    if approve:
        if application.kind == ReliefKind.REDUCE:
            new_amount = _amount(amount) if amount not in (None, "") else application.requested_amount
            if not rules.reduction_allowed(notice.amount_due, new_amount):
                raise ValidationFailed(
                    _("A reduction must leave at most 70%% of the fee to pay (at most %(max)s yuan), and more than 0.")
                    % {"max": rules.money(notice.amount_due * (1 - rules.MIN_REDUCTION))},
                    code=FeeErrorCode.RELIEF_REDUCTION)
        elif application.kind == ReliefKind.WAIVE:
            new_amount = Decimal("0.00")
        else:
            new_until = _parse_day(until) or application.requested_until
            if new_until is None or new_until <= notice.due_on:
                raise ValidationFailed(_("Ask for a day after the current last day to pay (%(due)s).")
                                       % {"due": notice.due_on.isoformat()}, code=FeeErrorCode.RELIEF_DATE)
        notice.amount_due = new_amount
        if new_until is not None:
            notice.due_on, notice.due_provisional, notice.deferred = new_until, False, True
        notice.state = _state_of(notice)
        notice.save(update_fields=["amount_due", "due_on", "due_provisional", "deferred", "state", "updated_at"])
    application.status = ReliefStatus.APPROVED if approve else ReliefStatus.REFUSED
    application.decided_by, application.decided_at, application.decision_reason = actor, timezone.now(), reason[:4000]
    application.approved_amount = new_amount if approve and application.kind != ReliefKind.DEFER else None
    application.approved_until = new_until
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "approved_amount",
                                    "approved_until"])
    journal_append(case=application.case, kind=entries.RELIEF_DECIDED, actor=actor, payload={
        "approved": bool(approve), "kind": application.kind, "amount": str(notice.amount_due),
        "notice_id": notice.pk, "application_id": application.pk, "due_on": notice.due_on.isoformat(),
        "reason": reason[:4000],
    })
    return application


# --- refunds --------------------------------------------------------------------------------------------------
@transaction.atomic
def fee_refunds_on_closure(*, case: Case, outcome: str, closed_on: date | None = None) -> list[Refund]:
    """The case closed with `outcome`: compute what each paid notice pays back (mediation or withdrawal: half
    the acceptance fee, never halved twice; dismissal or non-acceptance: all; any outcome: overpayment) and
    record it as due. Runs once per notice."""
    refunds = []
    for notice in FeeNotice.objects.select_for_update().filter(case=case, paid_amount__gt=0).order_by("id"):
        if Refund.objects.filter(notice=notice).exists():
            continue
        top_up = notice.kind == NoticeKind.TOP_UP
        half_fee = _calculated_half(notice) if notice.kind == NoticeKind.ACCEPTANCE else None
        per_outcome = outcome if notice.kind in (NoticeKind.ACCEPTANCE, NoticeKind.TOP_UP) else "other"
        amount = rules.refund_on_closure(per_outcome, paid=notice.paid_amount, amount_due=notice.amount_due,
                                         halved=notice.halved, half_fee=half_fee, top_up=top_up)
        if amount <= 0:
            continue
        reason = rules.refund_reason(per_outcome, halved=notice.halved, top_up=top_up)
        refund = Refund.objects.create(case=case, notice=notice, amount=amount, reason=reason, outcome=outcome)
        journal_append(case=case, kind=entries.REFUND_DUE, actor=None, payload={
            "refund_id": refund.pk, "notice_id": notice.pk, "amount": str(amount), "reason": reason,
            "outcome": outcome, "closed_on": closed_on.isoformat() if closed_on else None,
        })
        refunds.append(refund)
    return refunds


def _calculated_half(notice: FeeNotice) -> Decimal | None:
    """The calculator's halved fee for the notice's kind and the case's claim, rounded once (FEE arts 13, 15),
    when the notice is the calculator's full fee; None to fall back to halving the amount."""
    if not notice.calc_kind or notice.halved or notice.amount_due != notice.amount:
        return None
    # the one fee calculator (workflows/filing/fees.py, pure): reused, not moved
    from yunting.workflows.filing.fees import fee_estimate_for_court

    try:
        full = fee_estimate_for_court(notice.calc_kind, notice.case.claim_amount, False)
        if Decimal(full["fee"]) != notice.amount:
            return None
        return Decimal(fee_estimate_for_court(notice.calc_kind, notice.case.claim_amount, True)["fee"])
    except (ValidationFailed, KeyError, ValueError, ArithmeticError):
        return None


@transaction.atomic
def fee_refund_pay_out(*, refund: Refund, actor, paid_out_on: date | None = None) -> Refund:
    """The refund went back to the payer: recorded by the court's fee staff."""
    refund = Refund.objects.select_for_update().select_related("case").get(pk=refund.pk)
    if not handles_payments(actor, refund.case.court_id):
        raise _denied()
    if refund.status == RefundStatus.PAID_OUT:
        raise Conflict(_("This refund is already paid out."), code=FeeErrorCode.REFUND_PAID)
    paid_out_on = _parse_day(paid_out_on) or shanghai_today()
    refund.status, refund.paid_out_on, refund.paid_out_by = RefundStatus.PAID_OUT, paid_out_on, actor
    refund.save(update_fields=["status", "paid_out_on", "paid_out_by"])
    journal_append(case=refund.case, kind=entries.REFUNDED, actor=actor, payload={
        "amount": str(refund.amount), "reason": refund.reason, "paid_out_on": paid_out_on.isoformat(),
        "refund_id": refund.pk, "notice_id": refund.notice_id,
    })
    return refund

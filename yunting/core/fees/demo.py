"""Fees for the demo court: every fee state on screen — paid by an imported bank statement, paid online through
the fake gateway, partly paid, due this week, overdue (on the judge's 按撤诉处理 list), relief waiting, refunds.

`fees_demo(orgs=…, users=…, fee_for=…)` is idempotent (a case with a fee notice is left alone; the demo
statement is imported once); `yunting demo` calls it last, after the cases are assigned and some closed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from yunting.core.cases.models import Case
from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from .access import PAYER_ROLES
from .models import BankImport, FeeNotice
from .payments import online_gateway_for
from .services import (
    fee_notice_issue,
    fee_pay_online,
    fee_refunds_on_closure,
    fee_relief_apply,
    fee_statement_import,
)

FEE_TYPES = ("民初", "民终", "行初")
DEMO_STATEMENT = "demo-bank-statement.csv"


def _payer(case):
    return (case.participations.filter(role__in=PAYER_ROLES).select_related("user").order_by("id").first())


def fees_demo(*, orgs, users, fee_for: Callable[[Case], Decimal], progress: Callable[[str], None] = lambda s: None,
              ) -> dict:
    court = orgs["court"]
    today = shanghai_today()
    cases = list(Case.objects.filter(court=court, case_type_id__in=FEE_TYPES).order_by("id"))
    issued = 0
    lines: list[str] = []
    for i, case in enumerate(cases):
        if FeeNotice.objects.filter(case=case).exists():
            continue
        entry = JournalEntry.objects.filter(case=case, kind="filing.notice_issued").order_by("seq").first()
        amount = (entry.payload.get("fee") if entry else None) or fee_for(case)
        plan = i % 6
        # the part-paid notice (plan 5) is recent, so it is still due: issued 9 days ago, it turned overdue on the
        # days its 7-day term did not reach a weekend
        issued_on = today - timedelta(days=20 if plan == 3 else 2 if plan in (2, 5) else 9)
        if entry is not None:
            issued_on = entry.recorded_at.astimezone(SHANGHAI).date()
        notice = fee_notice_issue(case=case, amount=amount, issued_on=issued_on, calc_kind="",
                                  source_entry_id=entry.pk if entry else None)
        if notice is None:
            continue
        issued += 1
        payer = _payer(case)
        online = plan == 1 and payer is not None and online_gateway_for(court) is not None
        if plan in (0, 1) and not online:
            lines.append(f"{notice.reference} 诉讼费,{notice.amount},{(issued_on + timedelta(days=3)).isoformat()}")
        elif plan == 1:
            fee_pay_online(notice=notice, actor=payer.user)
        elif plan == 5:
            part = (notice.amount / 2).quantize(Decimal("0.01"))
            lines.append(f"{case.number}受理费,{part},{min(issued_on + timedelta(days=1), today).isoformat()}")
        elif plan == 4 and payer is not None:
            fee_relief_apply(notice=notice, actor=payer.user, kind="defer", reason="原告近期资金周转困难，申请缓交至下月。",
                             until=(notice.due_on + timedelta(days=30)).isoformat())
    imported = 0
    if lines and not BankImport.objects.filter(court=court, filename=DEMO_STATEMENT).exists():
        lines.append("YT000000000 退回款项,88.00," + today.isoformat())  # a line no notice matches
        data = ("交易日期,交易金额,附言\n" + "\n".join(
            f"{d},{a},{r}" for r, a, d in (line.rsplit(",", 2) for line in lines)) + "\n").encode("gb18030")
        statement = fee_statement_import(court=court, actor=users["filing_officer"], data=data,
                                         filename=DEMO_STATEMENT)
        imported = statement.matched_count
    refunds = 0
    for entry in JournalEntry.objects.filter(case__court=court, kind="case.closed").order_by("id"):
        refunds += len(fee_refunds_on_closure(case=entry.case, outcome=(entry.payload or {}).get("outcome", "other")))
    progress(f"fees: {issued} fee notices, {imported} paid from the demo bank statement, {refunds} refunds due")
    return {"notices": issued, "reconciled": imported, "refunds": refunds}

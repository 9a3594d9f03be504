"""Reactions to other apps' journal entries (run after commit, once per entry; see core.journal.registry)."""

from __future__ import annotations

from datetime import date

from yunting.kernel.common.timeutil import SHANGHAI

from .choices import NoticeKind
from .services import (
    fee_notice_issue,
    fee_notice_served,
    fee_refunds_on_closure,
    fee_top_up_on_procedure_change,
)

HALVABLE_PROCEDURES = ("simple", "small_claims")


def _filing_fee_facts(case) -> dict:
    """The fee facts the filing journaled when the case was accepted (fee kind), read from the journal."""
    from yunting.core.journal.models import JournalEntry

    entry = JournalEntry.objects.filter(case=case, kind="filing.accepted").order_by("seq").only("payload").first()
    return entry.payload if entry else {}


def on_acceptance_notice(entry) -> None:
    """filing.notice_issued {"fee"}: the 受理通知书 demanded the acceptance fee — issue its fee notice."""
    case = entry.case
    facts = _filing_fee_facts(case)
    calc_kind = facts.get("fee_kind") or ""
    fee_notice_issue(
        case=case, amount=entry.payload.get("fee") or "0", kind=NoticeKind.ACCEPTANCE, actor=None,
        issued_on=entry.recorded_at.astimezone(SHANGHAI).date(), calc_kind=calc_kind,
        halved=bool(calc_kind) and case.procedure in HALVABLE_PROCEDURES, source_entry_id=entry.pk,
    )


def on_case_closed(entry) -> None:
    """case.closed {"outcome", "closed_on"}: compute refunds (mediation/withdrawal half; dismissal all)."""
    payload = entry.payload or {}
    closed_on = payload.get("closed_on")
    fee_refunds_on_closure(case=entry.case, outcome=payload.get("outcome") or "other",
                           closed_on=date.fromisoformat(closed_on) if closed_on else None)


def on_service_completed(entry) -> None:
    """service.completed {"document_kind": "fee_notice", "served_on"}: the 7 days run from service."""
    payload = entry.payload or {}
    if payload.get("document_kind") != "fee_notice" or not payload.get("served_on"):
        return
    fee_notice_served(case=entry.case, served_on=date.fromisoformat(payload["served_on"]))


def on_procedure_changed(entry) -> None:
    """case.procedure_changed {"from", "to"}: 简易→普通 owes the half the simple procedure spared (CPLI art 199)."""
    payload = entry.payload or {}
    fee_top_up_on_procedure_change(case=entry.case, from_procedure=payload.get("from") or "",
                                   to_procedure=payload.get("to") or "", source_entry_id=entry.pk)

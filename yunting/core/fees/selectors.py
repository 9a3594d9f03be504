"""Reads: a case's fees, the workbench's fee state per case, the judge's "按撤诉处理" list, the fee desk's lists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from yunting.core.cases.models import Participation
from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.timeutil import shanghai_today

from .access import JUDGE_ROLES, payment_courts
from .choices import FeeState, NoticeState, RefundStatus, ReliefStatus
from .models import BankImport, FeeNotice, Refund, ReliefApplication

OPEN_STATES = (NoticeState.UNPAID, NoticeState.PART_PAID)

# When a case has several notices, the one that needs action first speaks for the case.
PRIORITY = [FeeState.OVERDUE, FeeState.RELIEF_PENDING, FeeState.UNPAID, FeeState.PART_PAID, FeeState.DEFERRED,
            FeeState.REFUND_DUE, FeeState.REFUNDED, FeeState.PAID, FeeState.WAIVED, FeeState.NONE]


def _state(stored: str, due_on: date, deferred: bool, *, today: date, relief_pending: bool,
           refund_status: str | None) -> str:
    if refund_status is not None:
        return FeeState.REFUNDED if refund_status == RefundStatus.PAID_OUT else FeeState.REFUND_DUE
    if stored == NoticeState.PAID:
        return FeeState.PAID
    if stored == NoticeState.WAIVED:
        return FeeState.WAIVED
    if relief_pending:
        return FeeState.RELIEF_PENDING
    if due_on < today:
        return FeeState.OVERDUE
    if stored == NoticeState.PART_PAID:
        return FeeState.PART_PAID
    return FeeState.DEFERRED if deferred else FeeState.UNPAID


def notice_state(notice: FeeNotice, *, today: date, relief_pending: bool = False, refund: Refund | None = None) -> str:
    """One notice's state as people read it, today."""
    return _state(notice.state, notice.due_on, notice.deferred, today=today, relief_pending=relief_pending,
                  refund_status=refund.status if refund is not None else None)


def _fee_rows(ids: list[int]) -> list[tuple]:
    """(notice id, case id, stored state, due_on, deferred, relief pending, refund status) for the cases, in one
    query on the driver's cursor: through the ORM a 2,000-id IN list costs more than the query itself."""
    from django.db import connection

    n, r, f = FeeNotice._meta.db_table, ReliefApplication._meta.db_table, Refund._meta.db_table
    rows = []
    with connection.cursor() as cur:
        for start in range(0, len(ids), 5000):
            part = ids[start:start + 5000]
            cur.execute(
                f"SELECT n.id, n.case_id, n.state, n.due_on, n.deferred,"
                f" EXISTS(SELECT 1 FROM {r} r WHERE r.notice_id = n.id AND r.status = %s),"
                f" (SELECT f.status FROM {f} f WHERE f.notice_id = n.id)"
                f" FROM {n} n WHERE n.case_id IN ({', '.join(['%s'] * len(part))})",
                [ReliefStatus.PENDING.value, *part])
            rows += cur.fetchall()
    return rows


def fee_states(case_ids, *, today: date | None = None) -> dict[int, str]:
    """{case_id: FeeState value} for the workbench; "none" for a case without fee notices. One query."""
    today = today or shanghai_today()
    ids = [int(i) for i in case_ids]
    out = {cid: FeeState.NONE.value for cid in ids}
    if not ids:
        return out
    rank = {s: i for i, s in enumerate(PRIORITY)}
    best: dict[int, str] = {}
    for _pk, case_id, stored, due_on, deferred, pending, refund_status in _fee_rows(ids):
        if isinstance(due_on, str):  # SQLite hands dates back as text on a raw cursor
            due_on = date.fromisoformat(due_on)
        state = _state(stored, due_on, bool(deferred), today=today, relief_pending=bool(pending),
                       refund_status=refund_status)
        if case_id not in best or rank[state] < rank[best[case_id]]:
            best[case_id] = state
    out.update({cid: str(s) for cid, s in best.items()})
    return out


def fee_state_label(state: str) -> str:
    return str(FeeState(state).label) if state in FeeState.values else state


@dataclass
class NoticeView:
    notice: FeeNotice
    state: str
    payments: list = field(default_factory=list)
    reliefs: list = field(default_factory=list)
    refund: Refund | None = None

    @property
    def state_label(self) -> str:
        return fee_state_label(self.state)

    @property
    def days_left(self) -> int:
        return (self.notice.due_on - shanghai_today()).days

    @property
    def pending_relief(self):
        return next((r for r in self.reliefs if r.status == ReliefStatus.PENDING), None)


def fees_for_case(case, *, today: date | None = None) -> list[NoticeView]:
    """Every fee notice of the case with its payments, relief applications and refund, oldest first."""
    today = today or shanghai_today()
    notices = list(FeeNotice.objects.filter(case=case).order_by("id").prefetch_related("payments"))
    reliefs = defaultdict(list)
    for r in ReliefApplication.objects.filter(notice__case=case).select_related("applicant", "decided_by"):
        reliefs[r.notice_id].append(r)
    refunds = {r.notice_id: r for r in Refund.objects.filter(case=case)}
    views = []
    for n in notices:
        pending = any(r.status == ReliefStatus.PENDING for r in reliefs[n.pk])
        views.append(NoticeView(notice=n, state=notice_state(n, today=today, relief_pending=pending,
                                                            refund=refunds.get(n.pk)),
                                payments=list(n.payments.all()), reliefs=reliefs[n.pk], refund=refunds.get(n.pk)))
    return views


def _closed_case_q() -> Q:
    return Q(Exists(JournalEntry.objects.filter(case_id=OuterRef("case_id"), kind="case.closed")))


def overdue_notices_for(user, *, today: date | None = None) -> QuerySet[FeeNotice] | None:
    """未交费 → 按撤诉处理: notices unpaid after their last day, on open cases, with no relief pending — for the
    case's judge (their cases) and for the court's fee staff (the whole court). None for anyone else."""
    today = today or shanghai_today()
    courts = payment_courts(user)
    judged = Participation.objects.filter(user=user, role__in=JUDGE_ROLES).values("case_id")
    is_judge = Participation.objects.filter(user=user, role__in=JUDGE_ROLES).exists() if user.is_authenticated \
        else False
    if not courts and not is_judge:
        return None
    pending = ReliefApplication.objects.filter(notice_id=OuterRef("pk"), status=ReliefStatus.PENDING)
    qs = (FeeNotice.objects.filter(state__in=OPEN_STATES, due_on__lt=today)
          .filter(Q(case__court_id__in=courts) | Q(case_id__in=judged))
          .exclude(Exists(pending)).exclude(_closed_case_q())
          .select_related("case", "case__cause"))
    return qs.order_by("due_on", "id")


def bank_imports_for(user, *, limit: int = 20) -> list[BankImport]:
    return list(BankImport.objects.filter(court_id__in=payment_courts(user)).select_related("uploaded_by")[:limit])


def refunds_due_for(user) -> QuerySet[Refund]:
    return Refund.objects.filter(case__court_id__in=payment_courts(user), status=RefundStatus.DUE).select_related(
        "case", "notice").order_by("created_at", "id")


def reliefs_pending_for(user) -> QuerySet[ReliefApplication]:
    judged = Participation.objects.filter(user=user, role__in=JUDGE_ROLES).values("case_id")
    return (ReliefApplication.objects.filter(status=ReliefStatus.PENDING)
            .filter(Q(case__court_id__in=payment_courts(user)) | Q(case_id__in=judged))
            .select_related("case", "notice", "applicant").order_by("created_at", "id"))


def bank_import_for(user, import_id) -> BankImport | None:
    try:
        pk = int(import_id)
    except (TypeError, ValueError):
        return None
    return BankImport.objects.filter(pk=pk, court_id__in=payment_courts(user)).select_related("uploaded_by").first()

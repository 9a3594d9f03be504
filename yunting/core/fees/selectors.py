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


def notice_state(notice: FeeNotice, *, today: date, relief_pending: bool = False, refund: Refund | None = None) -> str:
    """One notice's state as people read it, today."""
    if refund is not None:
        return FeeState.REFUNDED if refund.status == RefundStatus.PAID_OUT else FeeState.REFUND_DUE
    if notice.state == NoticeState.PAID:
        return FeeState.PAID
    if notice.state == NoticeState.WAIVED:
        return FeeState.WAIVED
    if relief_pending:
        return FeeState.RELIEF_PENDING
    if notice.due_on < today:
        return FeeState.OVERDUE
    if notice.state == NoticeState.PART_PAID:
        return FeeState.PART_PAID
    return FeeState.DEFERRED if notice.deferred else FeeState.UNPAID


def fee_states(case_ids, *, today: date | None = None) -> dict[int, str]:
    """{case_id: FeeState value} for the workbench; "none" for a case without fee notices. Three queries."""
    today = today or shanghai_today()
    ids = list(case_ids)
    out = {cid: FeeState.NONE.value for cid in ids}
    if not ids:
        return out
    notices = list(FeeNotice.objects.filter(case_id__in=ids).only(
        "id", "case_id", "state", "due_on", "deferred"))
    if not notices:
        return out
    notice_ids = [n.pk for n in notices]
    pending = set(ReliefApplication.objects.filter(notice_id__in=notice_ids, status=ReliefStatus.PENDING)
                  .values_list("notice_id", flat=True))
    refunds = {r.notice_id: r for r in Refund.objects.filter(notice_id__in=notice_ids).only("notice_id", "status")}
    rank = {s: i for i, s in enumerate(PRIORITY)}
    best: dict[int, str] = {}
    for n in notices:
        state = notice_state(n, today=today, relief_pending=n.pk in pending, refund=refunds.get(n.pk))
        if n.case_id not in best or rank[state] < rank[best[n.case_id]]:
            best[n.case_id] = state
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

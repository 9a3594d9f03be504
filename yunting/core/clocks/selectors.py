"""Reads of deadlines: a case's (live from its journal), the next one of many cases and the warning lists (from the
stored index), and the court's declared closures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunting.core.cases.choices import CaseRole
from yunting.core.cases.models import Case, Participation
from yunting.core.journal.models import JournalEntry
from yunting.kernel.calendar.periods import nth_working_day_after, working_days_until
from yunting.kernel.common.memo import memoised
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import rules
from .models import CourtClosure, Deadline

# The periods' names as the pages show them (Chinese from the catalogue; the kernel keeps its own Chinese labels
# for the calculator's JSON and the stored index).
KIND_LABELS = {
    "fee-payment": _("Fee payment period"), "answer": _("Answer period"),
    "answer-foreign": _("Answer period (no domicile in China)"),
    "evidence-ordinary": _("Evidence period (ordinary procedure)"),
    "evidence-simple": _("Evidence period (simple procedure)"),
    "evidence-small-claims": _("Evidence period (small claims)"), "evidence-appeal": _("Evidence period (appeal)"),
    "appeal-judgment": _("Appeal period (judgment)"), "appeal-ruling": _("Appeal period (ruling)"),
    "appeal-foreign": _("Appeal period (no domicile in China)"),
    "trial-ordinary": _("Trial period (ordinary procedure)"), "trial-simple": _("Trial period (simple procedure)"),
    "trial-small-claims": _("Trial period (small claims)"),
    "trial-appeal-judgment": _("Trial period (appeal of a judgment)"),
    "trial-appeal-ruling": _("Trial period (appeal of a ruling)"), "trial-special": _("Trial period (special procedure)"),
    "commutation-decide": _("Trial period (commutation and parole)"),
    "mediation-assign": _("Mediator to be assigned"), "mediation-pick": _("Parties to pick a mediator jointly"),
    "mediation-accept": _("Mediator to accept"), "mediation-prefiling": _("Pre-filing mediation period"),
    "confirmation-decide": _("Judicial confirmation to be decided"),
}
NEAR_WORKING_DAYS = 3
JUDGE_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE)
WATCH_ROLES = (CaseRole.PRESIDING_JUDGE, CaseRole.JUDGE, CaseRole.JUDGE_ASSISTANT, CaseRole.CLERK)
DIVISION_HEAD, PRESIDENT = "division_head", "president"
STATUS_LABELS = {"running": _("Counting"), "near": _("Due soon"), "overdue": _("Overdue"), "expired": _("Expired"),
                 "suspended": _("Suspended"), "done": _("Ended")}


@dataclass
class DeadlineView:
    """A deadline as shown: the stored or computed item plus its status today."""

    key: str
    kind: str
    label: str
    starts_on: date
    due: date
    basis: str
    status: str
    days_left: int
    working_days_left: int
    excluded_days: int = 0
    extension_months: int = 0
    provisional: bool = False
    party_id: int | None = None
    party_name: str = ""
    note: str = ""
    steps: list | None = None
    case_id: int | None = None
    pending_extension: int = 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def as_api(self) -> dict:
        return {"kind": self.kind, "due": self.due.isoformat(), "starts_on": self.starts_on.isoformat(),
                "status": self.status, "basis": self.basis, "excluded_days": self.excluded_days,
                "key": self.key, "label": self.label, "days_left": self.days_left,
                "working_days_left": self.working_days_left, "provisional": self.provisional,
                "extension_months": self.extension_months, "party_id": self.party_id,
                "party_name": self.party_name, "note": self.note}


def status_of(*, state: str, due: date, court_duty: bool, today: date, closures=frozenset()) -> str:
    if state != rules.RUNNING:
        return state
    if due < today:
        return "overdue" if court_duty else "expired"
    if due <= nth_working_day_after(today, NEAR_WORKING_DAYS, closures=closures):
        return "near"
    return "running"


def _label(item) -> str:
    """The period's name in the reader's language; a fee notice keeps its amount (（2300.00 元）)."""
    name = KIND_LABELS.get(item.kind)
    if name is None:
        return item.label
    if item.kind == "fee-payment" and item.label.startswith("预交诉讼费期限（") and item.label.endswith(" 元）"):
        amount = item.label[len("预交诉讼费期限（"):-len(" 元）")]
        return _("%(name)s (¥%(amount)s)") % {"name": name, "amount": amount}
    return str(name)


def _view(item, *, today: date, closures, case_id=None, steps=True) -> DeadlineView:
    return DeadlineView(
        key=item.key, kind=item.kind, label=_label(item), starts_on=item.starts_on, due=item.due, basis=item.basis,
        status=status_of(state=item.state, due=item.due, court_duty=item.court_duty, today=today, closures=closures),
        days_left=(item.due - today).days,
        working_days_left=working_days_until(today, item.due, closures=closures) if item.due >= today else 0,
        excluded_days=item.excluded_days, extension_months=item.extension_months, provisional=item.provisional,
        party_id=item.party_id, party_name=item.party_name, note=item.note,
        steps=getattr(item, "steps", None) if steps else None, case_id=case_id,
        pending_extension=getattr(item, "pending_extension", 0))


# --- closures ----------------------------------------------------------------------------------------------------
def closures_for(court_id: int) -> frozenset[date]:
    return memoised(("clocks.closures", court_id), lambda: _closures_for(court_id))


def _closures_for(court_id: int) -> frozenset[date]:
    return frozenset(CourtClosure.objects.filter(court_id=court_id).values_list("day", flat=True))


def closures_by_court(court_ids) -> dict[int, frozenset[date]]:
    out: dict[int, set] = defaultdict(set)
    for court_id, day in CourtClosure.objects.filter(court_id__in=set(court_ids)).values_list("court_id", "day"):
        out[court_id].add(day)
    return {cid: frozenset(days) for cid, days in out.items()}


def closures_for_court_code(court_code: str) -> frozenset[date]:
    return frozenset(CourtClosure.objects.filter(court__court_code=court_code).values_list("day", flat=True))


def closure_list(court) -> list[CourtClosure]:
    return list(CourtClosure.objects.filter(court=court).select_related("created_by").order_by("-day"))


# --- one case, live from the journal -------------------------------------------------------------------------------
def _local(dt) -> date:
    return dt.astimezone(SHANGHAI).date()


def case_facts(case: Case) -> rules.CaseFacts:
    # the clocks panel and the case's badges fold the same facts: once per read request (memo)
    return memoised(("clocks.facts", case.pk), lambda: _case_facts(case))


def _case_facts(case: Case) -> rules.CaseFacts:
    return rules.CaseFacts(
        registered_on=_local(case.registered_at), procedure=case.procedure, type_code=case.case_type_id,
        closed_on=_local(case.closed_at) if case.closed_at else None,
        parties=dict(case.parties.values_list("pk", "name")))


def case_entries(case: Case) -> tuple[rules.Entry, ...]:
    return memoised(("clocks.entries", case.pk), lambda: _case_entries(case))


def _case_entries(case: Case) -> tuple[rules.Entry, ...]:
    rows = (JournalEntry.objects.filter(case_id=case.pk, kind__in=rules.RELEVANT_KINDS)
            .order_by("seq").values_list("kind", "payload", "recorded_at"))
    return tuple(rules.Entry(kind, payload or {}, _local(at)) for kind, payload, at in rows)


def case_clock(case: Case):
    """The trial clock's state now (suspended since, pending extension, extensions, closure), services and fee
    notices: what the services check a new act against."""
    return rules.scan(case_facts(case), case_entries(case))


def deadlines_for(case: Case, *, today: date | None = None) -> list[DeadlineView]:
    """Every deadline of the case, computed now from its journal (the truth; the stored index follows it)."""
    today = today or shanghai_today()
    closures = closures_for(case.court_id)
    items = rules.fold(case_facts(case), case_entries(case), today=today, closures=closures)
    return [_view(item, today=today, closures=closures, case_id=case.pk) for item in items]


# --- many cases, from the index -------------------------------------------------------------------------------------
def _stored_view(row: Deadline, today: date, closures) -> DeadlineView:
    return _view(row, today=today, closures=closures, case_id=row.case_id, steps=False)


def next_deadlines(case_ids, *, today: date | None = None) -> dict[int, DeadlineView]:
    """Each case's most pressing running deadline (court clocks before party periods on the same day), for
    workbenches: one query."""
    today = today or shanghai_today()
    ids = list(case_ids)
    if not ids:
        return {}
    out: dict[int, DeadlineView] = {}
    rows = (Deadline.objects.filter(case_id__in=ids, state=rules.RUNNING)
            .filter(Q(court_duty=True) | Q(due__gte=today)).order_by("case_id", "due", "-court_duty", "key"))
    closures = closures_by_court({r.court_id for r in rows})
    for row in rows:
        if row.case_id not in out:
            out[row.case_id] = _stored_view(row, today, closures.get(row.court_id, frozenset()))
    return out


def is_president(user, court_id) -> bool:
    from yunting.core.courts.permissions import is_president as president

    return president(user, court_id)


def _case_division(case_id: int) -> int | None:
    from yunting.core.courts.models import CaseState

    return CaseState.objects.filter(case_id=case_id).values_list("division_id", flat=True).first()


def may_decide_extension(user, case, *, president_only: bool) -> bool:
    """The president decides every extension; the head of the case's division those that need no president."""
    from yunting.core.courts.permissions import heads_division

    if is_president(user, case.court_id):
        return True
    if president_only:
        return False
    division_id = _case_division(case.pk)
    return bool(division_id) and heads_division(user, division_id)


def leads(user) -> bool:
    """A division head or a president (an active post): their warning list covers the cases they lead."""
    from yunting.core.courts.selectors import holds_post

    return holds_post(user, (DIVISION_HEAD, PRESIDENT))


def led_cases(user):
    """The cases a division head's division holds, or every case of a president's court (never secret ones)."""
    from yunting.core.courts.selectors import headed_cases_q

    q = headed_cases_q(user)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q).exclude(security_level="secret").values("pk")


@dataclass
class Warning:
    case: Case
    deadline: DeadlineView


def warnings_for(user, *, scope: str = "mine", today: date | None = None) -> list[Warning]:
    """Cases with a deadline due within 3 working days, or a court clock overdue: `mine` — cases the user works
    on as judge, assistant or clerk; `led` — every case of the courts the user heads (division head, president).
    Soonest first."""
    today = today or shanghai_today()
    if scope == "led":
        cases_q = Q(case_id__in=led_cases(user))
    else:
        mine = Participation.objects.filter(user=user, role__in=WATCH_ROLES).values("case_id")
        cases_q = Q(case_id__in=mine)
    horizon_cache: dict[int, date] = {}
    rows = list(Deadline.objects.filter(cases_q, state=rules.RUNNING)
                .filter(Q(due__lt=today, court_duty=True)
                        | Q(due__gte=today, due__lte=nth_working_day_after(today, NEAR_WORKING_DAYS + 5)))
                .select_related("case", "case__cause").order_by("due", "case_id"))
    closures = closures_by_court({r.court_id for r in rows})
    out = []
    for row in rows:
        closed = closures.get(row.court_id, frozenset())
        if row.court_id not in horizon_cache:
            horizon_cache[row.court_id] = nth_working_day_after(today, NEAR_WORKING_DAYS, closures=closed)
        if row.due >= today and row.due > horizon_cache[row.court_id]:
            continue
        out.append(Warning(row.case, _stored_view(row, today, closed)))
    return out


def pending_extensions_for(user) -> list[Deadline]:
    """Extension requests waiting for this division head's or president's decision, soonest due first."""
    from yunting.core.courts.models import StaffPost

    if not leads(user):
        return []
    rows = (Deadline.objects.filter(case_id__in=led_cases(user), key="trial", pending_extension__gt=0)
            .select_related("case").order_by("due"))
    presides = set(StaffPost.objects.filter(user=user, role=PRESIDENT, active=True).values_list("court_id", flat=True))
    return [r for r in rows if r.court_id in presides or r.kind not in rules.PRESIDENT_ONLY]


def digest_unread(user) -> int:
    return user.deadline_digests.filter(read_at__isnull=True).count()

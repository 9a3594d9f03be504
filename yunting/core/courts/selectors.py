"""Reads: who holds which post, the judge's and division head's workbench, court-level counts, a case's
lifecycle as the API and pages show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from yunting.kernel.common.memo import memoised
from yunting.kernel.common.timeutil import shanghai_today

from .choices import AssignProcedure, LifecycleStatus, Outcome, StaffRole
from .models import CaseState, CourtRecord, Division, StaffPost

OPEN = ("in_trial", "suspended")


def active_posts(user) -> tuple[tuple[str, int | None, int], ...]:
    """(role, division id, court id) of each active post the user holds; once per read request (memo)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return ()
    return memoised(("courts.posts", user.pk), lambda: tuple(
        StaffPost.objects.filter(user_id=user.pk, active=True).order_by("id")
        .values_list("role", "division_id", "court_id")))


def holds_post(user, roles) -> bool:
    roles = frozenset(roles)
    return any(role in roles for role, _d, _c in active_posts(user))


def headed_cases_q(user) -> Q | None:
    """Access scope (cases.access.register_scope): a division head reaches the division's cases, a president
    every case of the court. From the user's posts (read once per read request): None when they hold neither
    post, so an access check adds nothing to its query for everyone else."""
    posts = active_posts(user)
    heads = sorted({d for role, d, _c in posts if role == StaffRole.DIVISION_HEAD and d is not None})
    presides = sorted({c for role, _d, c in posts if role == StaffRole.PRESIDENT})
    if not heads and not presides:
        return None
    return Q(state__division_id__in=heads) | Q(court_id__in=presides)


def headed_cases_resolved(user) -> list[tuple[Q, bool]]:
    """headed_cases_q with its lookup done now (access.register_scope's `resolve`): one Q per path the user's
    posts open, with literal ids, so a list of visible cases queries each by its index; a president's reaches
    the whole court."""
    posts = [p for p in active_posts(user) if p[0] in (StaffRole.DIVISION_HEAD, StaffRole.PRESIDENT)]
    divisions = sorted({d for role, d, _c in posts if role == StaffRole.DIVISION_HEAD and d is not None})
    courts = sorted({c for role, _d, c in posts if role == StaffRole.PRESIDENT})
    return ([(Q(state__division_id__in=divisions), False)] if divisions else []) + (
        [(Q(court_id__in=courts), True)] if courts else [])


def posts_of(user, *, roles=None):
    qs = StaffPost.objects.filter(user=user, active=True).select_related("division", "court")
    if roles:
        qs = qs.filter(role__in=roles)
    return qs


def admin_courts(user):
    """Courts whose administration pages the user may open."""
    from yunting.core.people.models import Organisation
    from yunting.core.people.selectors import organisations_with

    ids = set(organisations_with(user, ["court_admin"]))
    ids |= {court for role, _d, court in active_posts(user) if role == StaffRole.COURT_ADMIN}
    return Organisation.objects.filter(pk__in=ids, kind="court")


def headed_divisions(user):
    return Division.objects.filter(posts__user=user, posts__role=StaffRole.DIVISION_HEAD, posts__active=True)


def divisions_of(court):
    return Division.objects.filter(court=court).annotate(
        judges=Count("posts", filter=Q(posts__role=StaffRole.JUDGE, posts__active=True))).order_by("order", "id")


def staff_of(court, *, division=None, role: str = ""):
    qs = StaffPost.objects.filter(court=court).select_related("user", "division", "works_with")
    if division is not None:
        qs = qs.filter(division=division)
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("-active", "division__order", "role", "user__real_name")


def judges_for_assignment(court):
    """Active judges with their division and open caseload, for the assignment form."""
    posts = list(StaffPost.objects.filter(court=court, active=True, role=StaffRole.JUDGE)
                 .select_related("user", "division").order_by("division__order", "user__real_name"))
    counts = open_counts([p.user_id for p in posts])
    for p in posts:
        p.open_cases = counts.get(p.user_id, 0)
    return posts


def helpers_for_assignment(court, role):
    return StaffPost.objects.filter(court=court, active=True, role=role).select_related("user", "division")


def open_counts(judge_ids) -> dict[int, int]:
    return dict(CaseState.objects.filter(judge_id__in=list(judge_ids), status__in=OPEN).values("judge_id")
                .annotate(n=Count("case_id")).values_list("judge_id", "n"))


def court_records(court, *, limit: int = 50):
    return CourtRecord.objects.filter(court=court).order_by("-seq")[:limit]


@dataclass
class CaseLifecycle:
    status: str
    status_label: str
    outcome: str | None
    outcome_label: str
    closed_on: date | None
    procedure: str
    procedure_label: str
    judge: str | None
    judge_id: int | None
    division: str
    reason: str
    auto: bool


PROCEDURE_LABELS = dict(AssignProcedure.choices)


def procedure_label(code: str) -> str:
    from yunting.core.cases.choices import Procedure

    labels = {**dict(Procedure.choices), **PROCEDURE_LABELS}
    return str(labels.get(code, code))


def case_lifecycle(case) -> CaseLifecycle:
    """The case's stage as its journal has it (the CaseState projection; no row: registered, unassigned)."""
    state = CaseState.objects.select_related("division").filter(case_id=case.pk).first()
    if state is None:  # nothing journaled by this app yet (cases from before it): the case row's stage
        status = {"registered": "registered", "closed": "closed", "archived": "closed"}.get(case.status, "in_trial")
        return CaseLifecycle(status, str(LifecycleStatus(status).label), None, "", None, case.procedure,
                             procedure_label(case.procedure), None, None, "", "", False)
    return CaseLifecycle(
        status=state.status, status_label=str(LifecycleStatus(state.status).label),
        outcome=state.outcome or None, outcome_label=str(Outcome(state.outcome).label) if state.outcome else "",
        closed_on=state.closed_on, procedure=state.procedure or case.procedure,
        procedure_label=procedure_label(state.procedure or case.procedure), judge=state.judge_name or None,
        judge_id=state.judge_id, division=state.division.name if state.division_id else "", reason=state.reason,
        auto=state.auto)


# --- workbench ----------------------------------------------------------------------------------------------------
def next_step(status: str, deadline, fee_state: str | None) -> str:
    """What the judge should do next, from the stage, the most pressing deadline (clocks) and the fees (fees)."""
    if status == "registered":
        return _("Assign the case")
    if fee_state == "overdue":
        return _("Fee unpaid after the deadline: rule the case withdrawn")
    if fee_state == "relief_pending":
        return _("Decide the fee relief application")
    if fee_state == "refund_due":
        return _("Pay out the refund")
    if status == "suspended":
        return _("Suspended: resume when the cause is gone")
    status_of = getattr(deadline, "status", "")
    if status_of == "overdue":
        return _("Overdue: %(label)s") % {"label": deadline.label}
    if status_of == "near":
        return _("Due soon: %(label)s") % {"label": deadline.label}
    if fee_state in ("unpaid", "part_paid"):
        return _("Waiting for the fee")
    return _("Serve, schedule, hear and decide")


def workbench_queryset(*, judge=None, division_ids=None, court=None, status: str = ""):
    """Open cases of a judge (承办) or of divisions, oldest assignment first."""
    qs = CaseState.objects.filter(status__in=OPEN)
    if judge is not None:
        qs = qs.filter(judge=judge)
    if division_ids is not None:
        qs = qs.filter(division_id__in=list(division_ids))
    if court is not None:
        qs = qs.filter(court=court)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("case").only(
        "case_id", "status", "procedure", "judge_name", "assigned_on", "division_id", "case__number",
        "case__title").order_by("assigned_on", "case_id")


def workbench_rows(rows):
    """Stage, next step, next deadline (clocks) and fee state (fees) for one page of workbench rows."""
    rows = list(rows)
    ids = [r.case_id for r in rows]
    deadlines = _next_deadlines(ids)
    fees = _fee_states(ids)
    labels = {**{k: str(v) for k, v in _procedure_labels().items()}}
    status_labels = {k: str(v) for k, v in LifecycleStatus.choices}
    fee_labels = _fee_labels()
    for r in rows:
        r.next_deadline = deadlines.get(r.case_id)
        r.fee_state = fees.get(r.case_id)
        r.fee_label = fee_labels.get(r.fee_state, "") if r.fee_state and r.fee_state != "none" else ""
        r.next_step = next_step(r.status, r.next_deadline, r.fee_state)
        r.procedure_text = labels.get(r.procedure, r.procedure)
        r.status_text = status_labels.get(r.status, r.status)
    return rows


def _procedure_labels() -> dict:
    from yunting.core.cases.choices import Procedure

    return {**dict(Procedure.choices), **PROCEDURE_LABELS}


def workbench_cases(*, judge=None, division_ids=None, court=None, status: str = "", limit: int = 100):
    return workbench_rows(workbench_queryset(judge=judge, division_ids=division_ids, court=court,
                                             status=status)[:limit])


def _fee_labels() -> dict:
    try:
        from yunting.core.fees.choices import FeeState
    except ImportError:
        return {}
    return {k: str(v) for k, v in FeeState.choices}


def _next_deadlines(case_ids) -> dict:
    try:
        from yunting.core.clocks.selectors import next_deadlines  # clocks' contract, once merged
    except ImportError:
        return {}
    return next_deadlines(case_ids) if case_ids else {}


def _fee_states(case_ids) -> dict:
    try:
        from yunting.core.fees.selectors import fee_states  # fees' contract, once merged
    except ImportError:
        return {}
    return fee_states(case_ids) if case_ids else {}


def unassigned_cases(court, *, limit: int = 500):
    from yunting.core.cases.models import Case

    return (Case.objects.filter(court=court, status="registered").exclude(state__status__in=["in_trial", "suspended",
                                                                                              "closed"])
            .select_related("cause", "case_type").order_by("registered_at", "id")[:limit])


def court_counts(court, *, today: date | None = None) -> dict:
    """The figures every later dashboard reads: open, unassigned, closed this month, overdue, by judge."""
    from yunting.core.cases.models import Case

    today = today or shanghai_today()
    month_start = today.replace(day=1)
    states = CaseState.objects.filter(court=court)
    open_qs = states.filter(status__in=OPEN)
    by_judge = list(open_qs.values("judge_id", "judge_name").annotate(open=Count("case_id")).order_by("-open",
                                                                                                         "judge_name"))
    closed_month = states.filter(status="closed", closed_on__gte=month_start, closed_on__lte=today).count()
    unassigned = Case.objects.filter(court=court, status="registered").exclude(
        state__status__in=["in_trial", "suspended", "closed"]).count()
    overdue = _overdue(court, today)
    return {"open": open_qs.count(), "unassigned": unassigned, "closed_this_month": closed_month,
            "overdue": overdue, "by_judge": [{"judge_id": r["judge_id"], "judge": r["judge_name"],
                                              "open": r["open"]} for r in by_judge]}


def _overdue(court, today) -> int | None:
    """Open cases with a court clock past due (clocks' deadline index: a running court-duty deadline whose last
    day has passed), in one query; None until clocks is present."""
    try:
        from yunting.core.clocks.models import Deadline
    except ImportError:
        return None
    return (Deadline.objects.filter(court=court, state="running", court_duty=True, due__lt=today,
                                    case__state__status__in=OPEN)
            .values("case_id").distinct().count())


def nav_flags(user) -> dict:
    """Which court pages the navbar offers: the caseload (judges, heads, presidents), assignment."""
    from yunting.core.people.selectors import roles_held

    if not getattr(user, "is_authenticated", False):
        return {"court_work": False, "assigns": False}
    roles = {role for role, _d, _c in active_posts(user)}
    member = roles_held(user) & {"filing_officer", "court_admin", "judge"}
    return {"court_work": bool(roles & {StaffRole.JUDGE, StaffRole.DIVISION_HEAD, StaffRole.PRESIDENT})
            or "judge" in member,
            "assigns": bool(roles & {StaffRole.FILING_OFFICER, StaffRole.COURT_ADMIN, StaffRole.DIVISION_HEAD,
                                     StaffRole.PRESIDENT}) or bool(member & {"filing_officer", "court_admin"})}

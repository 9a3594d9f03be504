"""Reads of the mediation workflow: who sees which dispute, triage suggestions, dashboards, early warnings and the
public self-help estimate. Views and the API call these; nothing here writes (except the read log)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Avg, Count, Exists, F, FloatField, Func, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from yunting.core.cases.models import Case, CaseType, Cause, Participation
from yunting.core.people.models import Membership
from yunting.kernel.common.timeutil import shanghai_today

from . import errors
from .models import (
    CLOSED_STATES,
    OPEN_STATES,
    RESOLVED_STATES,
    Agreement,
    Assignment,
    Dispute,
    DisputeState,
    DisputeType,
    Mediator,
    Risk,
)
from .services import COORDINATOR_ROLES


# --- visibility ------------------------------------------------------------------------------------------------
def coordinator_courts(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user, role__in=COORDINATOR_ROLES).values_list("organisation_id",
                                                                                             flat=True))


def disputes_visible_to(user, state: str | None = None) -> QuerySet[Dispute]:
    """Its parties (and their lawyers), its mediator (also while asked), and the court's coordinators."""
    if not getattr(user, "is_authenticated", False):
        return Dispute.objects.none()
    takes_part = Exists(Participation.objects.filter(case_id=OuterRef("case_id"), user=user))
    asked = Exists(Assignment.objects.filter(dispute_id=OuterRef("pk"), mediator__user=user))
    q = Q(takes_part) | Q(asked) | Q(mediator__user=user)
    courts = coordinator_courts(user)
    if courts:
        q |= Q(court_id__in=courts)
    qs = Dispute.objects.filter(q).select_related("case", "cause", "court", "mediator__user",
                                                  "organisation__organisation")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def access_dispute_for(user, dispute_id, *, channel: str = "api", ip: str | None = None) -> Dispute:
    """The dispute if `user` may see it; NotFound for "no such dispute" and "not yours" alike. Logged as a read."""
    from yunting.kernel.security.audit import read_log

    try:
        pk = int(dispute_id)
    except (TypeError, ValueError):
        pk = 0
    dispute = disputes_visible_to(user).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if dispute is None:
        raise errors.not_found()
    read_log(user=user, action="mediation.dispute", channel=channel, case_id=dispute.case_id,
             object_type="dispute", object_id=dispute.pk, ip=ip)
    return dispute


def dispute_parties(dispute: Dispute) -> list[dict[str, str]]:
    return [{"role": role, "name": name} for role, name in
            dispute.case.parties.order_by("order", "id").values_list("role", "name")]


def dispute_out(dispute: Dispute) -> dict[str, Any]:
    """The API shape of a dispute (issue 14 Interfaces), plus what pages need beside it."""
    return {
        "id": dispute.pk, "case_id": dispute.case_id, "number": dispute.case.number, "state": dispute.state,
        "parties": dispute_parties(dispute), "claims": list(dispute.claims or []),
        "claim_amount": None if dispute.claim_amount is None else format(dispute.claim_amount, "f"),
    }


def current_agreement(dispute: Dispute) -> Agreement | None:
    return Agreement.objects.filter(dispute=dispute).exclude(status=Agreement.Status.SUPERSEDED).order_by("-id").first()


def pending_assignment(dispute: Dispute) -> Assignment | None:
    return Assignment.objects.filter(dispute=dispute, status=Assignment.Status.PENDING).select_related(
        "mediator__user").first()


def assignments_for_mediator(user) -> QuerySet[Assignment]:
    """What a mediator is asked to take, oldest first (the 3-working-day limit runs)."""
    return (Assignment.objects.filter(mediator__user=user, status=Assignment.Status.PENDING)
            .select_related("dispute__case", "dispute__cause").order_by("accept_due", "id"))


def mediation_items(dispute: Dispute, user):
    """The mediation thread as `user` may read it: the mediator reads everything (a caucus note to one side
    included); a party reads what is for both sides, for their side, and their own."""
    from yunting.core.threads.models import Item
    from yunting.core.threads.selectors import Viewer, visible_q

    if not dispute.thread_id:
        return Item.objects.none()
    is_mediator = dispute.mediator_id is not None and dispute.mediator.user_id == user.pk
    parties = frozenset(Participation.objects.filter(case_id=dispute.case_id, user=user, party__isnull=False)
                        .values_list("party_id", flat=True))
    viewer = Viewer(user=user, court=is_mediator or bool(set(coordinator_courts(user)) & {dispute.court_id}),
                    party_ids=parties)
    return Item.objects.filter(thread_id=dispute.thread_id).filter(visible_q(viewer)).order_by("seq")


# --- limits ------------------------------------------------------------------------------------------------------
def overdue(court, *, today: date | None = None) -> list[dict[str, Any]]:
    """Disputes past a limit today: not assigned in 3 working days, not accepted in 3, mediation past 30 days."""
    today = today or shanghai_today()
    base = Dispute.objects.filter(court=court)
    out = []
    for limit, label, due, rows in (
        ("assign", _("Mediator to be assigned"), "assign_due",
         base.filter(state=DisputeState.NEW, assign_due__lt=today)),
        ("accept", _("Mediator to accept"), "accept_due",
         base.filter(state=DisputeState.ASSIGNED, accepted_at__isnull=True, accept_due__lt=today)),
        ("mediation", _("Mediation period"), "mediation_due",
         base.filter(state__in=[DisputeState.ASSIGNED, DisputeState.MEDIATING], mediation_due__lt=today)),
    ):  # plain values, not model instances: thousands of rows on a busy network's dashboard
        out += [{"dispute_id": pk, "number": number, "limit": limit, "due": when, "label": label}
                for pk, number, when in rows.order_by().values_list("id", "case__number", due)]
    out.sort(key=lambda r: (r["due"], r["dispute_id"]))
    return out


def limits_of(dispute: Dispute, *, today: date | None = None) -> list[dict[str, Any]]:
    """The dispute's running limits with their due day and whether overrun (for its page and the API)."""
    today = today or shanghai_today()
    rows = []

    def add(key, label, due, running):
        if due is not None:
            rows.append({"key": key, "label": label, "due": due, "running": running,
                         "overdue": running and today > due})

    add("assign", _("Mediator to be assigned (3 working days)"), dispute.assign_due,
        dispute.state == DisputeState.NEW)
    add("pick", _("Parties to pick a mediator jointly (2 working days)"), dispute.pick_due,
        dispute.state == DisputeState.NEW)
    add("accept", _("Mediator to accept (3 working days)"), dispute.accept_due,
        dispute.state == DisputeState.ASSIGNED and dispute.accepted_at is None)
    add("mediation", _("Pre-filing mediation (30 days)"), dispute.mediation_due,
        dispute.state in (DisputeState.ASSIGNED, DisputeState.MEDIATING))
    confirmation = getattr(dispute, "confirmation", None) if dispute.confirmation_case_id else None
    if confirmation is not None:
        add("confirm_accept", _("Court to accept the confirmation (3 days)"), confirmation.accept_due, False)
        add("confirm_decide", _("Court to decide the confirmation (15 days)"), confirmation.decide_due,
            confirmation.decided_at is None)
    return rows


# --- triage ------------------------------------------------------------------------------------------------------
W_TYPE, W_TYPE_ORG, W_CAUSE, W_LOCAL, W_LOCAL_ORG, W_LOAD, W_OUTCOME, W_LANGUAGE = 30, 15, 15, 20, 10, 15, 20, 5


@dataclass
class Suggestion:
    mediator_id: int
    organisation_id: int
    score: float
    reasons: list[str] = field(default_factory=list)
    name: str = ""
    organisation: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _score(m, dispute: Dispute, org_localities: list[str], org_specialisms: list[str], *,
           explain: bool = True) -> Suggestion:
    """Every factor gives whole points (so the same data always gives the same score) and a reason in words.
    `explain=False` only counts the points (triage ranks every candidate, then explains the few it returns)."""
    reasons, points = [], 0
    type_label = DisputeType(dispute.dispute_type).label if explain else ""
    if dispute.dispute_type in (m.specialisms or []):
        points += W_TYPE
        if explain:
            reasons.append(_("Specialises in %(type)s disputes (+%(n)d)") % {"type": type_label, "n": W_TYPE})
    elif dispute.dispute_type in org_specialisms:
        points += W_TYPE_ORG
        if explain:
            reasons.append(_("Their organisation takes %(type)s disputes (+%(n)d)") % {"type": type_label, "n": W_TYPE_ORG})
    else:
        if explain:
            reasons.append(_("No specialism in %(type)s disputes (+0)") % {"type": type_label})
    if dispute.cause.name in (m.causes or []):
        points += W_CAUSE
        if explain:
            reasons.append(_("Experienced in %(cause)s (+%(n)d)") % {"cause": dispute.cause.name, "n": W_CAUSE})
    if dispute.locality and dispute.locality in (m.localities or []):
        points += W_LOCAL
        if explain:
            reasons.append(_("Covers %(place)s, where the dispute arose (+%(n)d)") % {"place": dispute.locality,
                                                                                      "n": W_LOCAL})
    elif dispute.locality and dispute.locality in org_localities:
        points += W_LOCAL_ORG
        if explain:
            reasons.append(_("Their organisation serves %(place)s (+%(n)d)") % {"place": dispute.locality,
                                                                                "n": W_LOCAL_ORG})
    elif dispute.locality:
        if explain:
            reasons.append(_("Does not cover %(place)s (+0)") % {"place": dispute.locality})
    free = max(0, m.capacity - m.open_count)
    load_points = (W_LOAD * free) // m.capacity if m.capacity else 0
    points += load_points
    if explain:
        reasons.append(_("Carries %(open)d of %(cap)d disputes (+%(n)d)") % {"open": m.open_count, "cap": m.capacity,
                                                                              "n": load_points})
    closed, agreed = (m.type_stats or {}).get(dispute.dispute_type, [0, 0])
    if closed:
        outcome_points = (W_OUTCOME * agreed) // closed
        if explain:
            reasons.append(_("Settled %(agreed)d of %(closed)d %(type)s disputes (+%(n)d)")
                           % {"agreed": agreed, "closed": closed, "type": type_label, "n": outcome_points})
    elif m.closed_count:
        outcome_points = (W_OUTCOME * m.success_count) // (2 * m.closed_count)  # other types count half
        if explain:
            reasons.append(_("Settled %(agreed)d of %(closed)d disputes of other types (+%(n)d)")
                           % {"agreed": m.success_count, "closed": m.closed_count, "n": outcome_points})
    else:
        outcome_points = 0
        if explain:
            reasons.append(_("No past outcomes yet (+0)"))
    points += outcome_points
    if dispute.language and dispute.language in (m.languages or []):
        points += W_LANGUAGE
        if explain:
            reasons.append(_("Speaks %(lang)s (+%(n)d)") % {"lang": dispute.language, "n": W_LANGUAGE})
    return Suggestion(mediator_id=m.pk, organisation_id=m.organisation_id, score=float(points),
                      reasons=reasons, name=m.name, organisation=m.organisation_name)


class _Candidate(NamedTuple):
    """One roster row as triage reads it: plain values, no model instances (1,000 of them per new dispute; a
    tuple, which costs a tenth of a frozen dataclass to build)."""

    pk: int
    organisation_id: int
    specialisms: list
    causes: list
    localities: list
    languages: list
    capacity: int
    open_count: int
    closed_count: int
    success_count: int
    type_stats: dict
    name: str
    organisation_name: str
    org_localities: list
    org_specialisms: list


def _points(m: _Candidate, dispute_type: str, cause: str, locality: str, language: str) -> int:
    """_score's points alone, with nothing built: what triage ranks every candidate on (the same sums, factor
    by factor; tests compare the two on every candidate)."""
    points = 0
    if dispute_type in m.specialisms:
        points += W_TYPE
    elif dispute_type in m.org_specialisms:
        points += W_TYPE_ORG
    if cause in m.causes:
        points += W_CAUSE
    if locality:
        if locality in m.localities:
            points += W_LOCAL
        elif locality in m.org_localities:
            points += W_LOCAL_ORG
    if m.capacity:
        points += (W_LOAD * max(0, m.capacity - m.open_count)) // m.capacity
    closed, agreed = m.type_stats.get(dispute_type, (0, 0))
    if closed:
        points += (W_OUTCOME * agreed) // closed
    elif m.closed_count:
        points += (W_OUTCOME * m.success_count) // (2 * m.closed_count)
    if language and language in m.languages:
        points += W_LANGUAGE
    return points


def triage_candidates(court_id: int) -> list[_Candidate]:
    """The court's active mediators with room for one more, as plain values (read once, score many)."""
    rows = (Mediator.objects.filter(court_id=court_id, active=True, organisation__active=True,
                                    open_count__lt=F("capacity"))
            .values_list("id", "organisation_id", "specialisms", "causes", "localities", "languages", "capacity",
                         "open_count", "closed_count", "success_count", "type_stats", "user__real_name",
                         "user__username", "organisation__organisation__name", "organisation__localities",
                         "organisation__specialisms"))
    return [_Candidate(pk, org_id, spec or [], causes or [], locs or [], langs or [], cap, open_, closed, ok,
                       stats or {}, real_name or username, org_name, org_locs or [], org_spec or [])
            for (pk, org_id, spec, causes, locs, langs, cap, open_, closed, ok, stats, real_name, username,
                 org_name, org_locs, org_spec) in rows]


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while triage holds the roster: its ~12,000 short-lived containers (the
    candidates' JSON lists) are all alive at once, so young collections moved them on until they set off a full
    collection of the whole process every dozen calls — 60–100 ms of CPU, the p95 tail of triage. Nothing here
    makes a cycle; everything is freed by reference counting when the call returns."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def triage_suggestions(dispute: Dispute, *, limit: int = 10,
                       candidates: list[_Candidate] | None = None) -> list[Suggestion]:
    """Active mediators of the dispute's court with room for one more, best first; ties go to the lower id, so the
    same data gives the same list. Reads one row per mediator (statistics are precomputed on it) as plain values,
    ranks them all on points alone, and words the reasons only for the ones returned. A page triaging many
    disputes of one court passes `candidates` (from `triage_candidates`) to read the roster once."""
    with _collector_paused():  # the work in its own frame: the roster is freed before collection resumes
        return _ranked(dispute, limit, candidates)


def _ranked(dispute: Dispute, limit: int, candidates: list[_Candidate] | None) -> list[Suggestion]:
    if candidates is None:
        candidates = triage_candidates(dispute.court_id)
    kind, cause, locality, language = dispute.dispute_type, dispute.cause.name, dispute.locality, dispute.language
    ranked = sorted(((-_points(c, kind, cause, locality, language), c.pk, c) for c in candidates),
                    key=lambda t: (t[0], t[1]))
    return [_score(c, dispute, c.org_localities, c.org_specialisms) for _neg, _pk, c in ranked[:limit]]


# --- dashboards ------------------------------------------------------------------------------------------------
def _filtered(court, filters: dict | None) -> QuerySet[Dispute]:
    filters = filters or {}
    qs = Dispute.objects.filter(court=court)
    if filters.get("date_from"):
        qs = qs.filter(created_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_on__lte=filters["date_to"])
    if filters.get("dispute_type"):
        qs = qs.filter(dispute_type=filters["dispute_type"])
    if filters.get("locality"):
        qs = qs.filter(locality=filters["locality"])
    return qs


def _rate(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


class _MicrosecondsOpen(Func):
    """SQLite: closed_at − created_at in whole microseconds, in SQL (Django's own difference of two datetimes is
    a Python function called per row there). The stored text is 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC: whole
    seconds from its first 19 characters, microseconds from the digits after the point — the same integer
    Django's django_timestamp_diff gives."""

    output_field = FloatField()
    template = ("((CAST(ROUND((julianday(substr(%(closed)s, 1, 19)) - julianday(substr(%(created)s, 1, 19)))"
                " * 86400) AS INTEGER)) * 1000000 + CAST(substr(%(closed)s, 21, 6) AS INTEGER)"
                " - CAST(substr(%(created)s, 21, 6) AS INTEGER))")

    def __init__(self):
        super().__init__(F("closed_at"), F("created_at"))

    def as_sql(self, compiler, connection, **extra):
        closed, closed_params = compiler.compile(self.source_expressions[0])
        created, created_params = compiler.compile(self.source_expressions[1])
        if closed_params or created_params:
            raise AssertionError("columns only")
        return self.template % {"closed": closed, "created": created}, []


def _avg_days_to_resolve(qs) -> float | None:
    resolved = qs.filter(state__in=RESOLVED_STATES, closed_at__isnull=False)
    if connection.vendor == "sqlite":
        micros = resolved.aggregate(avg=Avg(_MicrosecondsOpen()))["avg"]
        days = None if micros is None else timedelta(microseconds=micros)
    else:
        days = resolved.aggregate(avg=Avg(F("closed_at") - F("created_at")))["avg"]
    return round(days.total_seconds() / 86400, 1) if days is not None else None


def dashboard(court, filters: dict | None = None) -> dict[str, Any]:
    """The coordinator's and the court's view: disputes by type, locality and month; resolution rate (agreed or
    confirmed of those ended); time to resolve; each mediator's load and outcomes; what is overdue.

    Every count is an aggregate in the database over an index that holds the columns it needs (court and
    state with the type, the locality or the stored Shanghai month), so 100,000 disputes are counted without
    reading the table's rows; the mediators are read as plain values."""
    qs = _filtered(court, filters)
    by_state = dict(qs.values_list("state").annotate(n=Count("id")).order_by())
    total = sum(by_state.values())
    ended = sum(by_state.get(s, 0) for s in CLOSED_STATES)
    resolved = sum(by_state.get(s, 0) for s in RESOLVED_STATES)
    type_labels = dict(DisputeType.choices)
    by_type = [{"key": t, "label": str(type_labels.get(t, t)), "count": n,
                "resolved": r, "rate": _rate(r, e)}
               for t, n, r, e in qs.values_list("dispute_type").annotate(
                   n=Count("id"), r=Count("id", filter=Q(state__in=RESOLVED_STATES)),
                   e=Count("id", filter=Q(state__in=CLOSED_STATES))).order_by("-n", "dispute_type")]
    by_locality = [{"key": loc or "", "count": n, "resolved": r, "rate": _rate(r, e)}
                   for loc, n, r, e in qs.values_list("locality").annotate(
                       n=Count("id"), r=Count("id", filter=Q(state__in=RESOLVED_STATES)),
                       e=Count("id", filter=Q(state__in=CLOSED_STATES))).order_by("-n", "locality")]
    by_month = [{"month": m.strftime("%Y-%m"), "count": n, "resolved": r}
                for m, n, r in qs.values_list("created_month").annotate(
                    n=Count("id"), r=Count("id", filter=Q(state__in=RESOLVED_STATES))).order_by("created_month")]
    mediators = [{"mediator_id": pk, "name": real_name or username, "organisation": organisation,
                  "open": open_, "capacity": capacity, "closed": closed, "agreed": agreed,
                  "rate": _rate(agreed, closed), "avg_days": round(days / closed, 1) if closed else None}
                 for pk, real_name, username, organisation, open_, capacity, closed, agreed, days in
                 Mediator.objects.filter(court=court).order_by("-open_count", "id").values_list(
                     "id", "user__real_name", "user__username", "organisation__organisation__name", "open_count",
                     "capacity", "closed_count", "success_count", "days_total")]
    return {
        "total": total, "by_state": {s: by_state.get(s, 0) for s in DisputeState.values},
        "open": sum(by_state.get(s, 0) for s in OPEN_STATES), "ended": ended, "resolved": resolved,
        "resolution_rate": _rate(resolved, ended),
        "avg_days_to_resolve": _avg_days_to_resolve(qs),
        "by_type": by_type, "by_locality": by_locality, "by_month": by_month, "mediators": mediators,
        "overdue": overdue(court),
    }


WARN_RECENT_DAYS, WARN_BASELINE_DAYS, WARN_MIN_COUNT, WARN_RATIO = 30, 90, 5, 1.5


def early_warnings(court, *, today: date | None = None, min_count: int = WARN_MIN_COUNT,
                   ratio: float = WARN_RATIO) -> list[dict[str, Any]]:
    """Localities and causes with a sharp rise: disputes received in the last 30 days against the average 30 days
    of the 90 before; an alert when there are at least `min_count` and `ratio` times the baseline (a place or
    cause new in the period counts against a baseline of 1). Each alert carries the numbers behind it.
    Days are Shanghai days (the stored `created_on`, read through its index with the locality and the cause)."""
    today = today or shanghai_today()
    recent_from = today - timedelta(days=WARN_RECENT_DAYS - 1)
    base_from = recent_from - timedelta(days=WARN_BASELINE_DAYS)
    qs = Dispute.objects.filter(court=court, created_on__gte=base_from, created_on__lte=today)
    out = []
    for dimension, column in (("locality", "locality"), ("cause", "cause__name")):
        rows = qs.values_list(column).annotate(
            recent=Count("id", filter=Q(created_on__gte=recent_from)),
            before=Count("id", filter=Q(created_on__lt=recent_from))).order_by()
        for key, recent, before in rows:
            if not key:
                continue
            baseline = before * WARN_RECENT_DAYS / WARN_BASELINE_DAYS
            rise = recent / max(baseline, 1.0)
            if recent >= min_count and rise >= ratio:
                out.append({
                    "dimension": dimension, "key": key, "recent": recent, "baseline": round(baseline, 1),
                    "previous": before, "ratio": round(rise, 2),
                    "period": {"recent_from": recent_from.isoformat(), "to": today.isoformat(),
                               "baseline_from": base_from.isoformat()},
                    "message": _("%(key)s: %(recent)d disputes in the last %(days)d days, against %(baseline)s a "
                                 "month before (×%(ratio)s)") % {"key": key, "recent": recent, "days": WARN_RECENT_DAYS,
                                                                 "baseline": round(baseline, 1),
                                                                 "ratio": round(rise, 2)}})
    out.sort(key=lambda a: (-a["ratio"], -a["recent"], a["dimension"], a["key"]))
    return out


# --- self-help -----------------------------------------------------------------------------------------------------
GENERAL_RISKS = [
    "诉讼需要预交案件受理费，败诉方承担；调解结案的，受理费减半收取；诉前调解和司法确认不收费。",
    "当事人对自己的主张有责任提供证据，不能提供证据或者证据不足的，可能承担不利后果。",
    "诉讼时效一般为三年，超过诉讼时效的，对方可以提出不履行的抗辩。",
    "胜诉后对方不履行的，需要申请强制执行；对方无财产可供执行的，权利可能难以实现。",
]


def self_help_estimate(cause: Cause | str, amount: Decimal | str | None, court) -> dict[str, Any]:
    """For the public, before and during mediation: what litigation would cost (the filing calculator), how long
    this court took over closed cases of this cause (and its mediations), and the common risks."""
    from yunting.workflows.filing.fees import parse_amount
    from yunting.workflows.filing.validation import fee_for

    if isinstance(cause, str):
        cause = Cause.objects.filter(Q(name=cause) | Q(code=cause)).first()
        if cause is None:
            raise errors.invalid(_("Choose a cause (案由)."), field="cause")
    if amount in (None, ""):
        value = None
    else:
        try:
            value = parse_amount(str(amount))
        except Exception:
            raise errors.invalid(_("Enter the amount in yuan, e.g. 12000 or 12000.50."), field="amount") from None
    litigation = CaseType.objects.get(code="民初")
    full = fee_for(case_type=litigation, cause=cause, amount=value, procedure="ordinary")
    simple = fee_for(case_type=litigation, cause=cause, amount=value, procedure="simple")
    closed = Case.objects.filter(court=court, cause=cause, case_type_id="民初", closed_at__isnull=False)
    durations = sorted(
        (c - r).days for r, c in closed.values_list("registered_at", "closed_at")[:5000] if r and c)
    mediated = Dispute.objects.filter(court=court, cause=cause, state__in=RESOLVED_STATES, closed_at__isnull=False)
    mediation_days = sorted((c - s).days for s, c in mediated.values_list("created_at", "closed_at")[:5000])
    risks = [r.text for r in Risk.objects.filter(Q(cause=cause) | Q(cause__isnull=True))] or GENERAL_RISKS
    return {
        "cause": cause.name, "amount": None if value is None else format(value, "f"),
        "fee": {"ordinary": full, "simple": simple,
                "mediation": {"fee": "0.00", "basis": "诉前调解、司法确认不收取费用"},
                "mediated_in_litigation": _half(full)},
        "duration": {"litigation": _spread(durations), "mediation": _spread(mediation_days)},
        "risks": risks,
    }


def _half(fee: dict) -> dict:
    try:
        value = (Decimal(fee.get("fee") or "0") / 2).quantize(Decimal("0.01"))
    except Exception:
        return {"fee": fee.get("fee"), "basis": ""}
    return {"fee": format(value, "f"), "basis": "调解结案的案件受理费减半收取（《诉讼费用交纳办法》第十五条）"}


def _spread(days: list[int]) -> dict[str, Any]:
    if not days:
        return {"cases": 0, "median_days": None, "avg_days": None, "p80_days": None}
    return {"cases": len(days), "median_days": days[len(days) // 2], "avg_days": round(sum(days) / len(days), 1),
            "p80_days": days[min(len(days) - 1, (len(days) * 8) // 10)]}


def mediator_record(mediator: Mediator) -> dict[str, Any]:
    """A mediator's record for their profile: counts, success rate, average days, per type."""
    labels = dict(DisputeType.choices)
    return {"mediator_id": mediator.pk, "name": mediator.user.display_name,
            "organisation": mediator.organisation.organisation.name, "open": mediator.open_count,
            "capacity": mediator.capacity, "closed": mediator.closed_count, "agreed": mediator.success_count,
            "rate": _rate(mediator.success_count, mediator.closed_count),
            "avg_days": round(mediator.days_total / mediator.closed_count, 1) if mediator.closed_count else None,
            "by_type": [{"key": t, "label": str(labels.get(t, t)), "closed": c, "agreed": a, "rate": _rate(a, c)}
                        for t, (c, a) in sorted((mediator.type_stats or {}).items())]}


def roster(court) -> QuerySet[Mediator]:
    return Mediator.objects.filter(court=court, active=True).select_related("user", "organisation__organisation")


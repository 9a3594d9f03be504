"""The dashboard and the early warnings count in the database over stored Shanghai days and months (issue 14's
100,000-dispute target); every number must be what the straightforward per-row queries give — the reference
below is the first implementation (timestamps truncated in Shanghai time row by row), kept here to compare.
The times sit on the edges: a minute either side of Shanghai midnight at a month's end, microseconds."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from yunting.kernel.common.timeutil import shanghai_today
from yunting.workflows.mediation import selectors
from yunting.workflows.mediation.models import (
    CLOSED_STATES,
    OPEN_STATES,
    RESOLVED_STATES,
    Dispute,
    DisputeState,
    DisputeType,
    Mediator,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def _reference_dashboard(court, filters=None):
    """The first implementation of selectors.dashboard, verbatim in what it computes."""
    filters = filters or {}
    qs = Dispute.objects.filter(court=court)
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    if filters.get("dispute_type"):
        qs = qs.filter(dispute_type=filters["dispute_type"])
    if filters.get("locality"):
        qs = qs.filter(locality=filters["locality"])
    rate = selectors._rate
    by_state = dict(qs.values_list("state").annotate(n=Count("id")).order_by())
    ended = sum(by_state.get(s, 0) for s in CLOSED_STATES)
    resolved = sum(by_state.get(s, 0) for s in RESOLVED_STATES)
    labels = dict(DisputeType.choices)
    counts = {"n": Count("id"), "r": Count("id", filter=Q(state__in=RESOLVED_STATES)),
              "e": Count("id", filter=Q(state__in=CLOSED_STATES))}
    by_type = [{"key": t, "label": str(labels.get(t, t)), "count": n, "resolved": r, "rate": rate(r, e)}
               for t, n, r, e in qs.values_list("dispute_type").annotate(**counts).order_by("-n", "dispute_type")]
    by_locality = [{"key": loc or "", "count": n, "resolved": r, "rate": rate(r, e)}
                   for loc, n, r, e in qs.values_list("locality").annotate(**counts).order_by("-n", "locality")]
    by_month = [{"month": m.astimezone(SH).strftime("%Y-%m"), "count": n, "resolved": r}
                for m, n, r in qs.annotate(m=TruncMonth("created_at", tzinfo=SH)).values_list("m").annotate(
                    n=Count("id"), r=Count("id", filter=Q(state__in=RESOLVED_STATES))).order_by("m")]
    days = qs.filter(state__in=RESOLVED_STATES, closed_at__isnull=False).aggregate(
        avg=Avg(F("closed_at") - F("created_at")))["avg"]
    mediators = [{"mediator_id": m.pk, "name": m.user.display_name, "organisation": m.organisation.organisation.name,
                  "open": m.open_count, "capacity": m.capacity, "closed": m.closed_count, "agreed": m.success_count,
                  "rate": rate(m.success_count, m.closed_count),
                  "avg_days": round(m.days_total / m.closed_count, 1) if m.closed_count else None}
                 for m in Mediator.objects.filter(court=court).select_related("user", "organisation__organisation")
                 .order_by("-open_count", "id")]
    return {
        "total": sum(by_state.values()), "by_state": {s: by_state.get(s, 0) for s in DisputeState.values},
        "open": sum(by_state.get(s, 0) for s in OPEN_STATES), "ended": ended, "resolved": resolved,
        "resolution_rate": rate(resolved, ended),
        "avg_days_to_resolve": round(days.total_seconds() / 86400, 1) if days is not None else None,
        "by_type": by_type, "by_locality": by_locality, "by_month": by_month, "mediators": mediators,
        "overdue": _reference_overdue(court),
    }


def _reference_overdue(court):
    today = shanghai_today()
    base = Dispute.objects.filter(court=court).select_related("case")
    out = []
    for d in base.filter(state=DisputeState.NEW, assign_due__lt=today):
        out.append({"dispute_id": d.pk, "number": d.case.number, "limit": "assign", "due": d.assign_due,
                    "label": _("Mediator to be assigned")})
    for d in base.filter(state=DisputeState.ASSIGNED, accepted_at__isnull=True, accept_due__lt=today):
        out.append({"dispute_id": d.pk, "number": d.case.number, "limit": "accept", "due": d.accept_due,
                    "label": _("Mediator to accept")})
    for d in base.filter(state__in=[DisputeState.ASSIGNED, DisputeState.MEDIATING], mediation_due__lt=today):
        out.append({"dispute_id": d.pk, "number": d.case.number, "limit": "mediation", "due": d.mediation_due,
                    "label": _("Mediation period")})
    out.sort(key=lambda r: (r["due"], r["dispute_id"]))
    return out


def _reference_warnings(court, today, min_count, ratio):
    recent_from = today - timedelta(days=29)
    base_from = recent_from - timedelta(days=90)
    qs = Dispute.objects.filter(court=court, created_at__date__gte=base_from, created_at__date__lte=today)
    found = {}
    for dimension, column in (("locality", "locality"), ("cause", "cause__name")):
        for key, recent, before in qs.values_list(column).annotate(
                recent=Count("id", filter=Q(created_at__date__gte=recent_from)),
                before=Count("id", filter=Q(created_at__date__lt=recent_from))).order_by():
            baseline = before * 30 / 90
            if key and recent >= min_count and recent / max(baseline, 1.0) >= ratio:
                found[(dimension, key)] = (recent, before)
    return found


def _at(y, m, d, hh, mm, ss=0, us=0):
    return datetime(y, m, d, hh, mm, ss, us, tzinfo=UTC)


@pytest.fixture
def disputes(submit, court):
    """Eight disputes with hand-set times: two either side of Shanghai midnight on 31 March (UTC 15:59 / 16:30),
    one at Shanghai midnight on 1 May, microsecond closing times, a blank locality, open ones with limits overrun."""
    today = shanghai_today()
    recent = datetime.combine(today - timedelta(days=3), datetime.min.time(), tzinfo=SH).astimezone(UTC)
    rows = [
        # (created UTC, state, closed UTC, type, locality, cause)
        (_at(2026, 3, 31, 16, 30, 0, 250000), "agreed", _at(2026, 4, 5, 3, 0, 0, 750001), "loan", "新安街道", None),
        (_at(2026, 3, 31, 15, 59, 59, 999999), "confirmed", _at(2026, 4, 10, 16, 0), "loan", "西乡街道", None),
        (_at(2026, 4, 30, 16, 0), "failed", _at(2026, 5, 3, 1, 2, 3), "contract", "西乡街道", "买卖合同纠纷"),
        (_at(2026, 4, 30, 15, 59, 30, 1), "agreed", _at(2026, 4, 30, 15, 59, 31), "neighbour", "", None),
        (recent, "new", None, "loan", "西乡街道", None),
        (recent + timedelta(hours=20), "mediating", None, "labour", "福永街道", "劳动争议"),
        (recent - timedelta(days=100), "withdrawn", recent - timedelta(days=99, microseconds=3), "loan", "福永街道",
         None),
        (recent + timedelta(hours=7, minutes=59), "confirmed", recent + timedelta(days=1, hours=2, microseconds=500000),
         "loan", "西乡街道", None),
    ]
    from yunting.core.cases.models import Cause

    made = []
    for created, state, closed, kind, place, cause in rows:
        d = submit(link_defendant=False, dispute_type=kind, locality=place or "新安街道")
        update = {"created_at": created, "state": state, "closed_at": closed, "locality": place,
                  "assign_due": (created.astimezone(SH) + timedelta(days=3)).date(),
                  "mediation_due": date(2026, 1, 1) if state == "mediating" else None}
        if cause:
            update["cause"] = Cause.objects.filter(name=cause).first()
        Dispute.objects.filter(pk=d.pk).update(**update)
        made.append(d.pk)
    return made


def test_stored_days_and_months_are_shanghai_days(disputes):
    got = dict(Dispute.objects.filter(pk__in=disputes[:4]).values_list("pk", "created_on"))
    assert [got[pk] for pk in disputes[:4]] == [date(2026, 4, 1), date(2026, 3, 31), date(2026, 5, 1),
                                                date(2026, 4, 30)]
    months = dict(Dispute.objects.filter(pk__in=disputes[:4]).values_list("pk", "created_month"))
    assert [months[pk] for pk in disputes[:4]] == [date(2026, 4, 1), date(2026, 3, 1), date(2026, 5, 1),
                                                   date(2026, 4, 1)]


@pytest.mark.parametrize("filters", [
    {}, {"date_from": "2026-04-01"}, {"date_to": "2026-03-31"}, {"date_from": "2026-04-01", "date_to": "2026-04-30"},
    {"dispute_type": "loan"}, {"locality": "西乡街道"}, {"dispute_type": "loan", "date_from": "2026-03-31"}])
def test_dashboard_numbers_are_those_of_the_per_row_queries(disputes, court, network, filters):
    Mediator.objects.filter(pk=network["med_b"].pk).update(open_count=2, closed_count=7, success_count=5,
                                                           days_total=40)
    board = selectors.dashboard(court, filters)
    assert board == _reference_dashboard(court, filters)
    if not filters:
        assert board["total"] == 8 and board["resolved"] == 4
        assert [m["month"] for m in board["by_month"]][:3] == ["2026-03", "2026-04", "2026-05"]
        assert board["avg_days_to_resolve"] is not None
        assert {o["limit"] for o in board["overdue"]} >= {"mediation"}


def test_early_warnings_are_those_of_the_per_row_queries(disputes, court):
    today = shanghai_today()
    for min_count, ratio in ((1, 1.0), (2, 1.5), (5, 1.5)):
        got = {(a["dimension"], a["key"]): (a["recent"], a["previous"])
               for a in selectors.early_warnings(court, today=today, min_count=min_count, ratio=ratio)}
        assert got == _reference_warnings(court, today, min_count, ratio)
    alerts = selectors.early_warnings(court, today=today, min_count=1, ratio=1.0)
    assert ("locality", "西乡街道") in {(a["dimension"], a["key"]) for a in alerts}
    # 1 May 2026 in Shanghai is the day of the dispute received at 16:00 UTC on 30 April
    may = selectors.early_warnings(court, today=date(2026, 5, 1), min_count=1, ratio=1.0)
    assert may and {(a["dimension"], a["key"]): a["recent"] for a in may} == {
        (d, k): r for (d, k), (r, _b) in _reference_warnings(court, date(2026, 5, 1), 1, 1.0).items()}

"""Shared courts (共享法庭): the public list of service points, and for a point's staff (a tablet at the point)
their upcoming sessions; the court's statistics for court staff. An attendance is seen by its party, the staff of
its point and the court side of its case; for anyone else it is 404 like one that does not exist."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.sharedcourt import errors, selectors, stats

from .auth import API_AUTH, caller
from .schemas import ErrorOut

public = Router(auth=None, tags=["sharedcourt"])
router = Router(auth=API_AUTH, tags=["sharedcourt"])


class SharedCourtPointOut(Schema):
    id: int
    name: str
    kind: str = Field(description="township | mediation_centre | law_firm | bank | post_office | other")
    township: str
    address: str
    opening_hours: str
    phone: str
    equipment: list[str] = Field(description="signature_pad, document_camera, video_terminal, printer, id_reader")
    court: str


class SharedCourtPointsOut(Schema):
    items: list[SharedCourtPointOut]
    count: int
    page: int
    pages: int


class SharedCourtSessionOut(Schema):
    id: int
    case_number: str
    point_id: int
    room_id: int
    session_kind: str = Field(description="hearing | mediation | witness")
    scheduled_at: str = Field(description="Asia/Shanghai, ISO 8601.")
    status: str
    party_name: str
    seat: str
    identity_checked: bool
    joined: bool
    presence_confirmed: bool


class SharedCourtSessionsOut(Schema):
    items: list[SharedCourtSessionOut]


class SharedCourtStatRowOut(Schema):
    point_id: int
    name: str
    township: str
    sessions: int
    mediations: int
    testimonies: int
    filings: int
    travel_km: str
    travel_minutes: int


class SharedCourtStatsOut(Schema):
    court: str
    sessions: int
    mediations: int
    filings: int
    travel_km: str
    travel_minutes: int
    points: list[SharedCourtStatRowOut]


DAY = r"^\d{4}-\d{2}-\d{2}$"


def _day(value: str | None, field: str) -> date | None:
    """A day as YYYY-MM-DD, strictly (a number is not a day); a bad one is a 400 naming the parameter."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise errors.invalid(_("Enter the day as YYYY-MM-DD."), field=field) from None


def _point(p) -> dict:
    return {"id": p.pk, "name": p.name, "kind": p.kind, "township": p.township, "address": p.address,
            "opening_hours": p.opening_hours, "phone": p.phone, "equipment": list(p.equipment or []),
            "court": p.court.name}


def _session(a) -> dict:
    return {"id": a.pk, "case_number": a.case.number, "point_id": a.point_id, "room_id": a.room_id,
            "session_kind": a.session_kind, "scheduled_at": a.scheduled_at.astimezone(SHANGHAI).isoformat(),
            "status": a.status, "party_name": a.party.display_name, "seat": a.participant.seat,
            "identity_checked": a.id_checked_at is not None, "joined": a.joined_at is not None,
            "presence_confirmed": a.presence_confirmed_at is not None}


@public.get("/sharedcourt/points", response={200: SharedCourtPointsOut}, url_name="sharedcourt_points",
            summary="Shared-court service points (public), searched by township, address or name")
def points(request, q: str = Query("", max_length=60, description="Words to find in township, address or name."),
           page: int = Query(1, ge=1, le=100000)):
    found = selectors.points_public(q=q, page=page)
    return {"items": [_point(p) for p in found], "count": found.paginator.count, "page": found.number,
            "pages": found.paginator.num_pages}


@router.get("/sharedcourt/sessions", response={200: SharedCourtSessionsOut}, url_name="sharedcourt_sessions",
            summary="The caller's upcoming sessions at their service points (staff)")
def sessions(request):
    user = caller(request)
    rows = selectors.workbench_for_staff(user)
    read_log(user=user, action="sharedcourt.workbench", channel="api", object_type="attendances",
             ip=client_ip(request))
    return {"items": [_session(a) for a in rows]}


@router.get("/sharedcourt/attendances/{id}", response={200: SharedCourtSessionOut, 404: ErrorOut},
            url_name="sharedcourt_attendance", summary="One attendance: its party, the point's staff, the court")
def attendance(request, id: int):
    user = caller(request)
    a, _how = selectors.attendance_for(user, id)
    read_log(user=user, action="sharedcourt.attendance", channel="api", case_id=a.case_id,
             object_type="attendance", object_id=a.pk, ip=client_ip(request))
    return _session(a)


@router.get("/sharedcourt/stats", response={200: SharedCourtStatsOut, 404: ErrorOut}, url_name="sharedcourt_stats",
            summary="Statistics per service point (court staff)")
def stats_view(request, court: int | None = Query(None, description="Court id (default: the caller's first)."),
               start: str | None = Query(None, pattern=DAY, description="From this day (Asia/Shanghai), included, "
                                                                     "YYYY-MM-DD."),  # noqa: B008
               end: str | None = Query(None, pattern=DAY, description="Until this day, excluded, YYYY-MM-DD.")):  # noqa: B008
    start, end = _day(start, "start"), _day(end, "end")
    user = caller(request)
    courts = selectors.courts_for_stats(user)
    chosen = next((c for c in courts if court is None or c.pk == court), None)
    if chosen is None:
        raise errors.not_found()
    s = stats.point_stats(court=chosen, start=start, end=end)
    read_log(user=user, action="sharedcourt.stats", channel="api", object_type="court", object_id=chosen.pk,
             ip=client_ip(request))
    return {"court": chosen.name, "sessions": s.sessions, "mediations": s.mediations, "filings": s.filings,
            "travel_km": str(s.travel_km), "travel_minutes": s.travel_minutes, "points": [
                {"point_id": r.point.pk, "name": r.point.name, "township": r.point.township, "sessions": r.sessions,
                 "mediations": r.mediations, "testimonies": r.testimonies, "filings": r.filings,
                 "travel_km": str(r.travel_km), "travel_minutes": r.travel_minutes} for r in s.rows]}

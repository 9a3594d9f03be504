"""Reads of the shared courts. Points are public (active ones); everything about an attendance is seen only by
the party who attends, the staff of its point, and the court side of its case — anyone else gets NotFound, the
same as for an id that does not exist."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from yunting.core.cases.access import MAX_ID, Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership
from yunting.core.people.selectors import organisations_with
from yunting.core.rooms.choices import COURT_SEATS, ParticipantState, RoomState
from yunting.core.rooms.models import Participant, Room
from yunting.kernel.common.timeutil import SHANGHAI, shanghai_today

from . import errors
from .choices import AttendanceStatus
from .models import AssistedFiling, AssistedSignature, Attendance, ServicePoint, TravelEstimate

PAGE_SIZE = 12


def _pk(value) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk <= MAX_ID else 0


# --- points --------------------------------------------------------------------------------------------------------
def points_public(*, q: str = "", page=1, court_id=None):
    """The public list: active points, searched by township, address or name (map-free), paginated."""
    qs = ServicePoint.objects.filter(active=True).select_related("organisation", "court")
    if court_id:
        qs = qs.filter(court_id=_pk(court_id))
    for word in (q or "").replace("\x00", " ").split()[:5]:  # NUL: not a character PostgreSQL compares
        qs = qs.filter(Q(township__icontains=word) | Q(address__icontains=word)
                       | Q(organisation__name__icontains=word))
    return Paginator(qs.order_by("township", "id"), PAGE_SIZE).get_page(page)


def points_of_court(court) -> list[ServicePoint]:
    return list(ServicePoint.objects.filter(court=court).select_related("organisation").order_by("township", "id"))


def point_get(point_id) -> ServicePoint:
    point = ServicePoint.objects.select_related("organisation", "court").filter(pk=_pk(point_id)).first()
    if point is None:
        raise errors.not_found()
    return point


def point_staff(point: ServicePoint) -> list:
    return [m.user for m in Membership.objects.filter(organisation=point.organisation, role=Role.SERVICE_POINT_STAFF)
            .select_related("user").order_by("user__username")]


def staff_points(user) -> list[ServicePoint]:
    """The points where `user` is staff."""
    if not getattr(user, "is_authenticated", False):
        return []
    orgs = organisations_with(user, [Role.SERVICE_POINT_STAFF])  # the request's memo: the navbar asks on every page
    if not orgs:
        return []
    return list(ServicePoint.objects.filter(organisation_id__in=orgs).select_related("organisation", "court"))


def travel_table(court) -> list[TravelEstimate]:
    return list(TravelEstimate.objects.filter(court=court).order_by("township"))


# --- attendances -------------------------------------------------------------------------------------------------------
def _attendances() -> QuerySet[Attendance]:
    return Attendance.objects.select_related("point", "point__organisation", "case", "room", "participant", "party",
                                             "decided_by", "id_checked_by", "joined_by").defer("party__id_number")


def workbench_for_staff(user, *, days_back: int = 0) -> list[Attendance]:
    """The staff's upcoming sessions: approved attendances at their points from today (Asia/Shanghai) on."""
    points = [p.pk for p in staff_points(user)]
    if not points:
        return []
    start = datetime.combine(shanghai_today() - timedelta(days=days_back), time.min, tzinfo=SHANGHAI)
    return list(_attendances().filter(point_id__in=points, status=AttendanceStatus.APPROVED,
                                      scheduled_at__gte=start).order_by("scheduled_at", "id")[:200])


def attendance_for_staff(user, attendance_id) -> Attendance:
    points = [p.pk for p in staff_points(user)]
    a = _attendances().filter(pk=_pk(attendance_id), point_id__in=points).first()
    if a is None:
        raise errors.not_found()
    return a


def attendances_for_party(user) -> list[Attendance]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(_attendances().filter(party=user).order_by("-scheduled_at", "-id")[:100])


def attendances_for_case(case) -> list[Attendance]:
    """A case's attendances, for those the case access already let in (the view checks access first)."""
    return list(_attendances().filter(case=case).order_by("-scheduled_at", "-id"))


def attendance_for(user, attendance_id) -> tuple[Attendance, str]:
    """The attendance and how the caller sees it: "party" (their own), "staff" (of its point) or "court" (court
    side of the case). NotFound for anyone else."""
    a = _attendances().filter(pk=_pk(attendance_id)).first()
    if a is None or not getattr(user, "is_authenticated", False):
        raise errors.not_found()
    if a.party_id == user.pk:
        return a, "party"
    if Membership.objects.filter(user=user, organisation_id=a.point.organisation_id,
                                 role=Role.SERVICE_POINT_STAFF).exists():
        return a, "staff"
    try:
        access_case_for(user, a.case_id, need=Capability.VIEW_PERSONAL_DATA)
    except CaseNotFound:
        raise errors.not_found() from None
    return a, "court"


def sessions_to_apply_for(user, case) -> list[Participant]:
    """The party's own seats in the case's rooms that have not ended: what they may attend from a point."""
    return list(Participant.objects.filter(user=user, room__case=case).exclude(seat__in=COURT_SEATS)
                .exclude(state=ParticipantState.REMOVED).exclude(room__state=RoomState.CLOSED)
                .select_related("room").order_by("-room__created_at"))


def party_seats_of_case(case) -> list[Participant]:
    """Parties' seats (with an account) in the case's rooms that have not ended: what the judge may propose."""
    return list(Participant.objects.filter(room__case=case, user__isnull=False).exclude(seat__in=COURT_SEATS)
                .exclude(state=ParticipantState.REMOVED).exclude(room__state=RoomState.CLOSED)
                .select_related("room", "user").order_by("room_id", "id"))


def room_of_case(case, room_id) -> Room:
    room = Room.objects.select_related("case").filter(pk=_pk(room_id), case=case).first()
    if room is None:
        raise errors.not_found()
    return room


def signatures_of(attendance: Attendance) -> list[AssistedSignature]:
    return list(AssistedSignature.objects.filter(attendance=attendance).select_related("party", "staff"))


def assisted_filings_for_staff(user) -> list[AssistedFiling]:
    points = [p.pk for p in staff_points(user)]
    return list(AssistedFiling.objects.filter(point_id__in=points).select_related("party", "staff", "point",
                                                                                   "point__organisation")[:50])


def now_local() -> datetime:
    return timezone.now().astimezone(SHANGHAI)


def courts_for_stats(user) -> list:
    """Courts whose shared-court statistics the user may see: where they hold a court post or administer."""
    from yunting.core.courts.selectors import admin_courts
    from yunting.core.people.choices import COURT_STAFF_ROLES
    from yunting.core.people.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return []
    ids = set(organisations_with(user, COURT_STAFF_ROLES, kind="court"))
    ids |= set(admin_courts(user).values_list("pk", flat=True))
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))

"""Reads of online rooms. A room is visible (API, lists) only to its host and to participants who are admitted
now; for anyone else it does not exist (RoomNotFound), so ids are not keys."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yunting.core.cases.access import MAX_ID

from .choices import PRESENT_STATES, ParticipantState, RoomState
from .errors import RoomNotFound
from .models import Participant, Room


def _pk(value) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk <= MAX_ID else 0


def rooms_visible_to(user) -> QuerySet[Room]:
    if not getattr(user, "is_authenticated", False):
        return Room.objects.none()
    present = Participant.objects.filter(user=user, state__in=PRESENT_STATES).values("room_id")
    return Room.objects.filter(Q(host=user) | Q(pk__in=present))


def room_get_for(user, room_id) -> Room:
    room = rooms_visible_to(user).select_related("case").filter(pk=_pk(room_id)).first()
    if room is None:
        raise RoomNotFound()
    return room


def rooms_for_case(user, case_id) -> list[Room]:
    return list(rooms_visible_to(user).filter(case_id=_pk(case_id)).order_by("-created_at", "-id"))


def room_participants_present(room: Room, *, breakout: str = "") -> list[Participant]:
    """Who is in the main room (breakout="") or in one breakout now, seats in a fixed order."""
    qs = Participant.objects.filter(room=room)
    if breakout:
        qs = qs.filter(state=ParticipantState.BREAKOUT, breakout=breakout)
    else:
        qs = qs.filter(state=ParticipantState.ADMITTED)
    return list(qs.order_by("-is_host", "id"))


def room_seat_query(user, room_id, *, guest_participant_ids=()) -> QuerySet[Participant]:
    """The seats a person may enter by, best first (see room_seat_for); services.participant_enter locks it."""
    pk = _pk(room_id)
    qs = Participant.objects.select_related("room", "room__case", "user").defer("user__id_number").filter(
        room_id=pk).exclude(
        state=ParticipantState.REMOVED).exclude(room__state=RoomState.CLOSED)
    match = Q(pk__in=[p for p in guest_participant_ids if isinstance(p, int)])
    if getattr(user, "is_authenticated", False):
        match |= Q(user=user)
    return qs.filter(match).order_by("-is_host", "id")


def room_seat_for(user, room_id, *, guest_participant_ids=()) -> Participant:
    """The seat a person enters by: their account's seat in the room, or the seat an invitation link opened in
    this browser session. Removed seats and closed rooms do not exist for entering."""
    found = room_seat_query(user, room_id, guest_participant_ids=guest_participant_ids).first()
    if found is None:
        raise RoomNotFound()
    return found


def rooms_live(*, court_ids=None) -> list[Room]:
    """Rooms not closed yet (for the operations page), newest first, with their participants."""
    qs = Room.objects.exclude(state=RoomState.CLOSED).select_related("case", "host")
    if court_ids is not None:
        qs = qs.filter(case__court_id__in=court_ids)
    return list(qs.prefetch_related("participants").order_by("-created_at", "-id")[:500])

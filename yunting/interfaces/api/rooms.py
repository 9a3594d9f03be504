"""Online rooms (issue 17): a room is visible to its host and to the participants admitted now; for everyone
else it answers 404 exactly like a room that does not exist."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from yunting.core.rooms.selectors import room_get_for, room_participants_present, rooms_for_case
from yunting.kernel.security.audit import client_ip, read_log

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["rooms"])


class RoomParticipantOut(Schema):
    seat: str = Field(description="Seat code: presiding_judge, plaintiff, defendant_agent, witness …")
    state: str = Field(description="admitted | breakout")


class RoomOut(Schema):
    id: int
    case_id: int
    activity: str = Field(description="hearing | mediation | witnessing | testimony")
    state: str = Field(description="open (lobby open) | live | paused | closed")
    participants: list[RoomParticipantOut] = Field(description="Those in the room now (admitted).")


class RoomListOut(Schema):
    items: list[RoomOut]


def _out(room) -> dict:
    present = room_participants_present(room)
    return {"id": room.pk, "case_id": room.case_id, "activity": room.activity, "state": room.state,
            "participants": [{"seat": p.seat, "state": p.state} for p in present]}


@router.get("/rooms/{id}", response={200: RoomOut, 404: ErrorOut}, url_name="room_detail",
            summary="One online room (its host and admitted participants only)")
def room_detail(request, id: str):
    user = caller(request)
    room = room_get_for(user, id)
    read_log(user=user, action="room.view", channel="api", case_id=room.case_id, object_type="room",
             object_id=room.pk, ip=client_ip(request))
    return _out(room)


@router.get("/rooms", response={200: RoomListOut}, url_name="room_list",
            summary="A case's rooms that the caller may see")
def room_list(request, case: str = Query("", description="Case id.")):
    user = caller(request)
    rooms = list(rooms_for_case(user, case))
    if rooms:  # a list the caller may not see is empty and tells nothing, so there is nothing read to log
        read_log(user=user, action="room.list", channel="api", case_id=rooms[0].case_id, object_type="case",
                 object_id=rooms[0].case_id, ip=client_ip(request))
    return {"items": [_out(room) for room in rooms]}

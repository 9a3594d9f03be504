"""Room errors: stable codes, messages in English for gettext (Chinese in the .po file).

ApplicationError
├── NotFound            room_not_found (also: a room you may not see), room_invitation_invalid
├── PermissionDenied    room_not_host, room_not_admitted, room_not_verified, room_rules_not_acknowledged
├── ValidationFailed    room_activity, room_seat, room_reason, room_contact, room_not_in_case
└── Conflict            room_closed, room_state, room_participant_state, room_removed
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class RoomErrorCode(StrEnum):
    NOT_FOUND = "room_not_found"
    INVITATION_INVALID = "room_invitation_invalid"
    NOT_HOST = "room_not_host"
    NOT_ADMITTED = "not_admitted"
    NOT_VERIFIED = "room_not_verified"
    RULES = "room_rules_not_acknowledged"
    ACTIVITY = "room_activity"
    SEAT = "room_seat"
    REASON = "room_reason"
    CONTACT = "room_contact"
    NOT_IN_CASE = "room_not_in_case"
    NOT_REAL_NAME = "room_not_real_name"
    FACE = "room_face_mismatch"
    CLOSED = "room_closed"
    STATE = "room_state"
    PARTICIPANT_STATE = "room_participant_state"
    REMOVED = "room_removed"


class RoomNotFound(NotFound):
    def __init__(self, **kw):
        super().__init__(_("Room not found."), code=RoomErrorCode.NOT_FOUND, **kw)


def not_host():
    return PermissionDenied(_("Only the host of the room can do this."), code=RoomErrorCode.NOT_HOST)


def room_closed():
    return Conflict(_("This room has been closed."), code=RoomErrorCode.CLOSED)


def bad_state(state: str):
    return Conflict(_("This cannot be done while the room is in this state."), code=RoomErrorCode.STATE,
                    data={"state": state})


def bad_participant_state(state: str):
    return Conflict(_("This cannot be done for a participant in this state."), code=RoomErrorCode.PARTICIPANT_STATE,
                    data={"state": state})


def invalid(message, code: RoomErrorCode, **data):
    return ValidationFailed(message, code=code, data=data)

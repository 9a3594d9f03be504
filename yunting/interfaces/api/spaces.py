"""Case spaces API (issue 20): a space is seen by its members only; everyone else (and a removed member) gets
404 `space_not_found`, exactly like a space that does not exist. A GET only reads: the space is opened (or a
newcomer to the case joined to it) by a POST, as on the web page. Muting is for the judge or the judge's assistant:
another member gets 403 `space_moderators_only`."""

from __future__ import annotations

from django.utils import timezone
from ninja import Field, Router, Schema

from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.casespace import selectors, services

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["spaces"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SpaceMemberOut(Schema):
    user_id: int
    name: str = Field(description="The member's name.")
    role: str = Field(description="judge | assistant | clerk | party | lawyer")
    muted: bool = Field(description="Cannot speak now (muted, or 全员禁言 for parties and lawyers).")


class SpaceOut(Schema):
    id: int
    case_id: int
    members: list[SpaceMemberOut]


class SpaceMuteIn(Schema):
    user_id: int
    minutes: int = Field(description="1 to 43200.")
    reason: str = Field(description="1 to 200 characters; kept in the record.")


class SpaceUnmuteIn(Schema):
    user_id: int


class SpaceMemberStateOut(Schema):
    user_id: int
    muted: bool
    muted_until: str | None = None


def _out(space, case_id: int) -> dict:
    return {"id": space.pk, "case_id": case_id,
            "members": [{k: m[k] for k in ("user_id", "name", "role", "muted")} for m in selectors.space_members(space)]}


@router.get("/cases/{id}/space", response={200: SpaceOut, 404: ErrorOut}, url_name="case_space",
            summary="The case's space and its members (members only)",
            description="Reads only. Someone who takes part in the case but is not in its space yet (no space so far, "
                        "or they joined the case a moment ago) gets 404 `space_not_opened`: POST to the same path "
                        "opens it. Everyone else gets 404 `space_not_found`, as for a case that does not exist.")
def case_space(request, id: str):
    user = caller(request)
    space, _member = selectors.space_of_case_for(user, id)
    return _space_out(request, user, space, id)


@router.post("/cases/{id}/space", response={200: SpaceOut, **ERRORS}, url_name="case_space_open",
             summary="Open the case's space (anyone who takes part in the case)",
             description="Creates the space the first time (an entry in the case's journal), or adds the caller to "
                         "it when they joined the case after it was made. A removed member stays removed (404).")
def case_space_open(request, id: str):
    user = caller(request)
    space = services.space_open(actor=user, case_id=id)
    space, _member = selectors.space_get_for(user, space.pk)
    return _space_out(request, user, space, id)


def _space_out(request, user, space, case_id) -> dict:
    read_log(user=user, action="casespace.view", channel="api", case_id=int(case_id), object_type="space",
             object_id=space.pk, ip=client_ip(request))
    return _out(space, int(case_id))


def _state(member) -> dict:
    until = member.muted_until if member.muted_until and member.muted_until > timezone.now() else None
    return {"user_id": member.user_id, "muted": until is not None, "muted_until": until.isoformat() if until else None}


@router.post("/spaces/{id}/mute", response={200: SpaceMemberStateOut, **ERRORS}, url_name="space_mute",
             summary="Mute one member for some minutes, with a reason (the judge or assistant)")
def space_mute(request, id: str, body: SpaceMuteIn):
    user = caller(request)
    space, _member = selectors.space_get_for(user, id)
    target = services.space_mute(space=space, actor=user, user_id=body.user_id, minutes=body.minutes,
                                 reason=body.reason)
    return _state(target)


@router.post("/spaces/{id}/unmute", response={200: SpaceMemberStateOut, **ERRORS}, url_name="space_unmute",
             summary="Lift a member's mute (the judge or assistant)")
def space_unmute(request, id: str, body: SpaceUnmuteIn):
    user = caller(request)
    space, _member = selectors.space_get_for(user, id)
    target = services.space_unmute(space=space, actor=user, user_id=body.user_id)
    return _state(target)

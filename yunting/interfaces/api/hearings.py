"""Hearings API (issue 12): a case's hearings, one hearing, and the acts on it — request, propose, vote,
confirm, reschedule, cancel, consent, art-21 form, stage; attendance for court staff. A hearing of a case the
caller does not take part in answers 404 like one that does not exist."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from yunting.core.cases.access import Capability, access_case_for
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.hearings import selectors, services
from yunting.workflows.hearings.errors import court_only
from yunting.workflows.hearings.models import Hearing

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["hearings"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RequestIn(Schema):
    stage_kind: str = "trial"
    slots_needed: int | None = None
    not_before: dt.date | None = None


class HearingProposeIn(Schema):
    vote_hours: int = 24
    count: int = 3
    options: list[dict] | None = None


class VoteIn(Schema):
    answers: dict[str, bool]
    party: int | None = None


class ConfirmIn(Schema):
    option: int | None = None
    date: dt.date | None = None
    slot: str = ""
    courtroom: int | None = None
    reason: str = ""


class RescheduleIn(Schema):
    date: dt.date
    slot: str
    courtroom: int | None = None
    reason: str


class CancelIn(Schema):
    reason: str


class HearingConsentIn(Schema):
    action: str
    party: int | None = None
    reason: str = ""


class Art21In(Schema):
    ground: str
    note: str = ""


class StageIn(Schema):
    stage: str


def _ctx(request, case_id: int):
    user = caller(request)
    access = access_case_for(user, case_id, need=Capability.VIEW_CASE)
    return user, access


def _out(request, user, access, hearing) -> dict:
    hearing = Hearing.objects.select_related("courtroom").prefetch_related(
        "consents__party", "options__votes", "changes").get(pk=hearing.pk)
    read_log(user=user, action="hearing.view", channel="api", case_id=access.case.pk, object_type="hearing",
             object_id=hearing.pk, ip=client_ip(request))
    return selectors.hearing_json(hearing, court=access.can(Capability.WRITE_JOURNAL),
                                  party_ids=services._party_ids(access.case.pk, user), user=user)


@router.get("/cases/{id}/hearings", response={200: dict, **ERRORS}, url_name="hearings",
            summary="The case's hearings (newest first) as the caller may see them")
def hearings_list(request, id: int):
    user, access = _ctx(request, id)
    court = access.can(Capability.WRITE_JOURNAL)
    parties = services._party_ids(access.case.pk, user)
    read_log(user=user, action="hearings.list", channel="api", case_id=access.case.pk, object_type="hearings",
             ip=client_ip(request))
    return {"items": [selectors.hearing_json(h, court=court, party_ids=parties, user=user)
                      for h in selectors.hearings_for_case(access.case)]}


@router.post("/cases/{id}/hearings", response={201: dict, **ERRORS}, url_name="hearing_request",
             summary="Request a hearing (judge or assistant); every party is asked for online consent")
def hearing_request(request, id: int, body: RequestIn):
    user, access = _ctx(request, id)
    h = services.hearing_request(access=access, actor=user, stage_kind=body.stage_kind,
                                 slots_needed=body.slots_needed, not_before=body.not_before)
    return Status(201, _out(request, user, access, h))


@router.get("/cases/{id}/hearings/{hid}", response={200: dict, **ERRORS}, url_name="hearing",
            summary="One hearing: time, form, consents, proposed times with votes, history, live stage")
def hearing_detail(request, id: int, hid: int):
    user, access = _ctx(request, id)
    return _out(request, user, access, services.hearing_get(access, hid))


@router.post("/cases/{id}/hearings/{hid}/propose", response={200: dict, **ERRORS}, url_name="hearing_propose",
             summary="The scheduler proposes 2–3 times (or take `options`), and the parties vote for `vote_hours`")
def hearing_propose(request, id: int, hid: int, body: HearingProposeIn):
    user, access = _ctx(request, id)
    h = services.hearing_propose(access=access, actor=user, hearing=services.hearing_get(access, hid),
                                 count=body.count, vote_hours=body.vote_hours, options=body.options)
    return _out(request, user, access, h)


@router.post("/cases/{id}/hearings/{hid}/vote", response={200: dict, **ERRORS}, url_name="hearing_vote",
             summary="A party or lawyer answers for each proposed time: {option id: can attend}")
def hearing_vote(request, id: int, hid: int, body: VoteIn):
    user, access = _ctx(request, id)
    h = services.hearing_get(access, hid)
    services.hearing_vote(access=access, actor=user, hearing=h, answers=body.answers, party_id=body.party)
    return _out(request, user, access, h)


@router.post("/cases/{id}/hearings/{hid}/confirm", response={200: dict, **ERRORS}, url_name="hearing_confirm",
             summary="The judge confirms a proposed time (or another with a reason); summonses issued and served")
def hearing_confirm(request, id: int, hid: int, body: ConfirmIn):
    user, access = _ctx(request, id)
    h = services.hearing_confirm(access=access, actor=user, hearing=services.hearing_get(access, hid),
                                 option_id=body.option, day=body.date, slot=body.slot, courtroom_id=body.courtroom,
                                 reason=body.reason)
    return _out(request, user, access, h)


@router.post("/cases/{id}/hearings/{hid}/reschedule", response={200: dict, **ERRORS}, url_name="hearing_reschedule",
             summary="Move a confirmed hearing (reason kept in its history; everyone re-notified)")
def hearing_reschedule(request, id: int, hid: int, body: RescheduleIn):
    user, access = _ctx(request, id)
    h = services.hearing_reschedule(access=access, actor=user, hearing=services.hearing_get(access, hid),
                                    day=body.date, slot=body.slot, courtroom_id=body.courtroom, reason=body.reason)
    return _out(request, user, access, h)


@router.post("/cases/{id}/hearings/{hid}/cancel", response={200: dict, **ERRORS}, url_name="hearing_cancel",
             summary="Cancel a hearing with a reason")
def hearing_cancel(request, id: int, hid: int, body: CancelIn):
    user, access = _ctx(request, id)
    h = services.hearing_cancel(access=access, actor=user, hearing=services.hearing_get(access, hid),
                                reason=body.reason)
    return _out(request, user, access, h)


@router.post("/cases/{id}/hearings/{hid}/consent", response={200: dict, **ERRORS}, url_name="hearing_consent",
             summary="A party consents to attend this hearing online, refuses, or withdraws before it starts")
def hearing_consent(request, id: int, hid: int, body: HearingConsentIn):
    user, access = _ctx(request, id)
    h = services.hearing_get(access, hid)
    services.hearing_consent(access=access, actor=user, hearing=h, action=body.action, party_id=body.party,
                             reason=body.reason)
    return _out(request, user, access, h)


@router.post("/cases/{id}/hearings/{hid}/art21", response={200: dict, **ERRORS}, url_name="hearing_art21",
             summary="The judge records the OLR art-21 ground for holding the hearing in court (\"\" clears it)")
def hearing_art21(request, id: int, hid: int, body: Art21In):
    user, access = _ctx(request, id)
    h = services.hearing_set_art21(access=access, actor=user, hearing=services.hearing_get(access, hid),
                                   ground=body.ground, note=body.note)
    return _out(request, user, access, h)


@router.post("/cases/{id}/hearings/{hid}/stage", response={200: dict, **ERRORS}, url_name="hearing_stage",
             summary="The judge moves the hearing to a stage (opening … mediation, ended)")
def hearing_stage(request, id: int, hid: int, body: StageIn):
    user, access = _ctx(request, id)
    h = services.hearing_stage_set(services.hearing_get(access, hid), body.stage, user)
    return _out(request, user, access, h)


@router.get("/cases/{id}/hearings/{hid}/attendance", response={200: dict, **ERRORS}, url_name="hearing_attendance",
            summary="Court staff: per participant never appeared / left mid-hearing / present to the end")
def hearing_attendance(request, id: int, hid: int):
    user, access = _ctx(request, id)
    if not access.can(Capability.WRITE_JOURNAL):
        raise court_only()
    h = services.hearing_get(access, hid)
    read_log(user=user, action="hearing.attendance", channel="api", case_id=access.case.pk, object_type="hearing",
             object_id=h.pk, ip=client_ip(request))
    return {"hearing_id": h.pk, "items": selectors.hearing_attendance(h)}


@router.get("/hearings/mine", response={200: dict, **ERRORS}, url_name="hearings_mine",
            summary="我的庭审: hearings of every case the caller takes part in, and what they still have to answer")
def hearings_mine(request):
    user = caller(request)
    hearings = selectors.hearings_for_user(user)
    pending = selectors.my_pending(user, hearings)
    items = []
    for h in hearings:
        read_log(user=user, action="hearings.list", channel="api", case_id=h.case_id, object_type="hearing",
                 object_id=h.pk, ip=client_ip(request))
        items.append({"id": h.pk, "case_id": h.case_id, "case_number": h.case.number, "stage_kind": h.stage_kind,
                      "state": h.state, "form": h.form, "date": h.date.isoformat() if h.date else None,
                      "slot": h.slot, "courtroom": h.courtroom.name if h.courtroom_id else None,
                      "to_vote": pending.get(h.pk, {}).get("vote", False),
                      "to_consent": pending.get(h.pk, {}).get("consent", False)})
    return {"items": items}

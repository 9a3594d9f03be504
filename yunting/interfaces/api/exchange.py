"""异步审理 exchange API (issue 13): the thread of a case as the caller may see it, posting items, and the acts
around it. An item hidden from the caller is absent from every list and count, and 404 by id."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from yunting.core.threads.selectors import item_for, viewer_in_case
from yunting.core.threads.services import thread_mark_read
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.asynctrial import services
from yunting.workflows.asynctrial.errors import no_exchange
from yunting.workflows.asynctrial.selectors import disputed_points, exchange_for, exchange_json, item_json

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["exchange"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ItemIn(Schema):
    kind: str
    text: str
    visibility: str = "all"
    refers_to: int | None = None
    documents: list[Any] = []
    positions: dict[str, str] | None = None
    reasons: dict[str, str] | None = None
    purpose: str = ""
    source: str = ""
    pages: str = ""
    title: str = ""
    purpose_objection: str = ""


class ProposeIn(Schema):
    round_days: int = 7


class ConsentIn(Schema):
    consent: bool
    party: int | None = None


class RoundIn(Schema):
    days: int | None = None


class SettlementIn(Schema):
    proposal: int
    accept: bool


def _state(request, id: int, *, mark: bool = False) -> dict:
    user = caller(request)
    access = services.access_for(user, id)
    exchange = exchange_for(access.case)
    if exchange is None:
        raise no_exchange()
    viewer = viewer_in_case(user, access.case.pk)
    body = exchange_json(exchange, viewer)
    read_log(user=user, action="exchange.view", channel="api", case_id=access.case.pk, object_type="exchange",
             object_id=exchange.pk, ip=client_ip(request))
    if mark:
        thread_mark_read(thread=exchange.thread, user=user)
    return body


@router.get("/cases/{id}/exchange", response={200: dict, **ERRORS}, url_name="exchange",
            summary="The case's asynchronous exchange as the caller may see it (reading marks it read)")
def exchange_get(request, id: int):
    return _state(request, id, mark=True)


@router.post("/cases/{id}/exchange", response={201: dict, **ERRORS}, url_name="exchange_propose",
             summary="Propose asynchronous handling (judge or assistant); every party is asked to consent")
def exchange_propose(request, id: int, body: ProposeIn):
    access = services.access_for(caller(request), id)
    services.asynctrial_propose(access=access, actor=caller(request), round_days=body.round_days)
    return Status(201, _state(request, id))


@router.post("/cases/{id}/exchange/consent", response={200: dict, **ERRORS}, url_name="exchange_consent",
             summary="A party consents to or refuses the asynchronous exchange")
def exchange_consent(request, id: int, body: ConsentIn):
    access = services.access_for(caller(request), id)
    services.asynctrial_consent(access=access, actor=caller(request), party_id=body.party, consent=body.consent)
    return _state(request, id)


@router.post("/cases/{id}/exchange/pledge", response={200: dict, **ERRORS}, url_name="exchange_pledge",
             summary="Sign the integrity pledge (诚信诉讼承诺)")
def exchange_pledge(request, id: int):
    access = services.access_for(caller(request), id)
    services.asynctrial_pledge(access=access, actor=caller(request))
    return _state(request, id)


@router.post("/cases/{id}/exchange/items", response={201: dict, **ERRORS}, url_name="exchange_item_post",
             summary="Post an item; a blocked word answers 422 `sensitive_words` and changes nothing")
def exchange_item_post(request, id: int, body: ItemIn):
    access = services.access_for(caller(request), id)
    user = caller(request)
    item = services.asynctrial_post(access=access, actor=caller(request), kind=body.kind, text=body.text,
                                    visibility=body.visibility, refers_to=body.refers_to, documents=body.documents,
                                    positions=body.positions, reasons=body.reasons, purpose=body.purpose,
                                    source=body.source, pages=body.pages, title=body.title,
                                    purpose_objection=body.purpose_objection)
    out = item_json(item, court=viewer_in_case(user, access.case.pk).court)
    if getattr(item, "masked_words", None):
        out["masked_words"] = item.masked_words
    return Status(201, out)


@router.get("/exchange/items/{id}", response={200: dict, 404: ErrorOut}, url_name="exchange_item",
            summary="One item; 404 for an item the caller may not see, exactly as for none")
def exchange_item_get(request, id: int):
    user = caller(request)
    item, viewer = item_for(user, id)
    read_log(user=user, action="exchange.item", channel="api", case_id=item.thread.case_id, object_type="exchange_item",
             object_id=item.pk, ip=client_ip(request))
    return item_json(item, court=viewer.court)


@router.post("/cases/{id}/exchange/rounds", response={201: dict, **ERRORS}, url_name="exchange_round",
             summary="Start a further round with its reply deadline (judge or assistant)")
def exchange_round(request, id: int, body: RoundIn):
    access = services.access_for(caller(request), id)
    services.asynctrial_round_open(access=access, actor=caller(request), days=body.days)
    return Status(201, _state(request, id))


@router.post("/cases/{id}/exchange/close", response={200: dict, **ERRORS}, url_name="exchange_close",
             summary="Close the exchange; the cross-examination report is filed into the e-file")
def exchange_close(request, id: int):
    access = services.access_for(caller(request), id)
    services.asynctrial_close(access=access, actor=caller(request))
    return _state(request, id)


@router.post("/cases/{id}/exchange/report", response={201: dict, **ERRORS}, url_name="exchange_report",
             summary="Generate the cross-examination report now (judge or assistant)")
def exchange_report(request, id: int):
    access = services.access_for(caller(request), id)
    document = services.asynctrial_report(access=access, actor=caller(request))
    return Status(201, {"document_id": document.pk, "sha256": document.blob_id, "title": document.title})


@router.post("/cases/{id}/exchange/settlement", response={200: dict, **ERRORS}, url_name="exchange_settlement",
             summary="Accept or reject a settlement proposal shown to both sides")
def exchange_settlement(request, id: int, body: SettlementIn):
    access = services.access_for(caller(request), id)
    services.asynctrial_settlement_answer(access=access, actor=caller(request), proposal_id=body.proposal,
                                          accept=body.accept)
    return _state(request, id)


@router.get("/cases/{id}/exchange/disputed", response={200: dict, 404: ErrorOut}, url_name="exchange_disputed",
            summary="The points still disputed, for the hearing transcript (structured and as text)")
def exchange_disputed(request, id: int):
    access = services.access_for(caller(request), id)
    if exchange_for(access.case) is None:
        raise no_exchange()
    return disputed_points(access.case)

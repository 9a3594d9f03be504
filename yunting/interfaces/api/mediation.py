"""Online dispute resolution API (issue 14): intake from parties and partner agencies, the dispute as its parties,
its mediator and the court's coordinators see it, triage suggestions, the acts of mediation, judicial
confirmation and conversion into a filing, dashboards, and the public self-help estimate.

A dispute the caller may not see answers 404 exactly like one that does not exist. Partner agencies send disputes
with their filing key (`Authorization: Bearer ytk_…`), as for batch filing.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status

from yunting.core.people.models import Organisation
from yunting.kernel.common.errors import NotFound, ValidationFailed
from yunting.kernel.security.audit import client_ip
from yunting.workflows.mediation import errors, selectors, services
from yunting.workflows.mediation.models import Agreement, Assignment, Confirmation, Mediator

from .auth import API_AUTH, caller
from .filing import institution_auth
from .pagination import page_param, page_size_param, paginate
from .schemas import ErrorOut

router = Router(tags=["mediation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class MediationPartyOut(Schema):
    role: str
    name: str


class DisputeOut(Schema):
    id: int
    case_id: int
    number: str
    state: str
    parties: list[MediationPartyOut]
    claims: list[str]
    claim_amount: str | None


class DisputePage(Schema):
    items: list[DisputeOut]
    count: int
    page: int
    page_size: int


class CreatedOut(Schema):
    id: int
    case_id: int
    number: str


class SuggestionOut(Schema):
    mediator_id: int
    organisation_id: int
    score: float
    reasons: list[str]
    name: str
    organisation: str


class SuggestionsOut(Schema):
    items: list[SuggestionOut]


class ConfirmOut(Schema):
    case_id: int
    number: str


class ConvertOut(Schema):
    filing_id: int


class MediatorIn(Schema):
    mediator_id: int


class ReasonIn(Schema):
    reason: str = ""


class StartIn(Schema):
    mode: str = "thread"


class MediationItemIn(Schema):
    text: str
    visibility: str = "all"
    kind: str = "proposal"


class FindingsIn(Schema):
    undisputed: list[str] = []
    disputed: list[str] = []


class AgreementIn(Schema):
    terms: list[str]
    facts: str = ""


class AgreementSignIn(Schema):
    strokes_png: str  # base64 of the PNG drawn on the signing pad
    device: str = ""


class RuleIn(Schema):
    granted: bool
    reasons: str = ""


def _dispute(request, id: int):
    return selectors.access_dispute_for(caller(request), id, ip=client_ip(request))


def _mediator(mediator_id: int, court_id: int) -> Mediator:
    mediator = Mediator.objects.select_related("user", "organisation__organisation").filter(
        pk=mediator_id, court_id=court_id).first()
    if mediator is None:
        raise NotFound(_("There is no such mediator on the court's roster."), code="mediation_mediator_not_found")
    return mediator


def _agreement_out(a: Agreement) -> dict[str, Any]:
    return {"id": a.pk, "status": a.status, "terms": a.terms, "pdf_sha256": a.pdf_sha256,
            "slots": [{"name": s["name"], "label": s["label"], "signer": s["signer"],
                       "signed": s["name"] in a.signed_slots} for s in a.slots]}


@router.post("/mediation/disputes", auth=[institution_auth, *API_AUTH], response={201: CreatedOut, **ERRORS},
             url_name="mediation_dispute_create",
             summary="Submit a dispute for pre-litigation mediation (a party, or a partner agency's key)")
def dispute_create(request, payload: Body[dict[str, Any]]):
    """The body of `POST /api/v1/filings` plus `dispute_type` (neighbour, family, loan, contract, labour, property,
    traffic, consumer, finance, other) and optionally `locality` (township) and `language`. Opens a 民诉前调 case at
    once; every problem is answered together (`data.problems`). An agency resending an `external_id` gets the
    same dispute back."""
    key = getattr(request, "institution_key", None)
    with transaction.atomic():
        dispute = services.dispute_submit(payload=payload, actor=None if key else caller(request), key=key)
    return Status(201, {"id": dispute.pk, "case_id": dispute.case_id, "number": dispute.case.number})


@router.get("/mediation/disputes", auth=API_AUTH, response={200: DisputePage, **ERRORS},
            url_name="mediation_disputes", summary="Disputes the caller may see, newest first (?state=)")
def dispute_list(request, state: str = "", page: int = page_param(), page_size: int = page_size_param()):
    qs = selectors.disputes_visible_to(caller(request), state=state or None)
    result = paginate(qs, page=page, page_size=page_size)
    result["items"] = [selectors.dispute_out(d) for d in result["items"]]
    return result


@router.get("/mediation/disputes/{int:id}", auth=API_AUTH, response={200: DisputeOut, **ERRORS},
            url_name="mediation_dispute", summary="One dispute (its parties, its mediator, the coordinators)")
def dispute_detail(request, id: int):
    return selectors.dispute_out(_dispute(request, id))


@router.get("/mediation/disputes/{int:id}/suggestions", auth=API_AUTH, response={200: SuggestionsOut, **ERRORS},
            url_name="mediation_suggestions", summary="Coordinators: suggested mediators, best first, with reasons")
def dispute_suggestions(request, id: int):
    dispute = _dispute(request, id)
    if not services.is_coordinator(caller(request), dispute.court_id):
        raise errors.not_coordinator()
    return {"items": [s.as_dict() for s in selectors.triage_suggestions(dispute)]}


@router.post("/mediation/disputes/{int:id}/assign", auth=API_AUTH, response={200: dict, **ERRORS},
             url_name="mediation_assign", summary="Coordinators: ask a mediator to take the dispute")
def dispute_assign(request, id: int, body: MediatorIn):
    dispute = _dispute(request, id)
    a = services.dispute_assign(dispute=dispute, mediator=_mediator(body.mediator_id, dispute.court_id),
                                actor=caller(request))
    return {"assignment_id": a.pk, "accept_due": a.accept_due.isoformat(), "state": a.dispute.state}


@router.post("/mediation/disputes/{int:id}/pick", auth=API_AUTH, response={200: DisputeOut, **ERRORS},
             url_name="mediation_pick", summary="Parties: pick a mediator (assigned once every party picks the same)")
def dispute_pick(request, id: int, body: MediatorIn):
    dispute = _dispute(request, id)
    dispute = services.parties_pick(dispute=dispute, mediator=_mediator(body.mediator_id, dispute.court_id),
                                    actor=caller(request))
    return selectors.dispute_out(dispute)


def _assignment(request, id: int) -> Assignment:
    a = Assignment.objects.filter(pk=id, mediator__user=caller(request)).select_related("dispute").first()
    if a is None:
        raise errors.not_found()
    return a


@router.post("/mediation/assignments/{int:id}/accept", auth=API_AUTH, response={200: dict, **ERRORS},
             url_name="mediation_accept", summary="Mediators: accept an assignment")
def assignment_accept(request, id: int):
    a = services.assignment_accept(assignment=_assignment(request, id), actor=caller(request))
    return {"assignment_id": a.pk, "status": a.status}


@router.post("/mediation/assignments/{int:id}/decline", auth=API_AUTH, response={200: dict, **ERRORS},
             url_name="mediation_decline", summary="Mediators: decline an assignment (with a reason)")
def assignment_decline(request, id: int, body: ReasonIn):
    a = services.assignment_decline(assignment=_assignment(request, id), actor=caller(request), reason=body.reason)
    return {"assignment_id": a.pk, "status": a.status}


@router.post("/mediation/disputes/{int:id}/start", auth=API_AUTH, response={200: dict, **ERRORS},
             url_name="mediation_start", summary="Mediator: start mediation in a room or on a thread")
def dispute_start(request, id: int, body: StartIn):
    target = services.mediation_start(dispute=_dispute(request, id), actor=caller(request), mode=body.mode)
    return {"mode": body.mode, "id": target.pk}


@router.get("/mediation/disputes/{int:id}/items", auth=API_AUTH, response={200: dict, **ERRORS},
            url_name="mediation_items", summary="The mediation thread as the caller may read it")
def dispute_items(request, id: int):
    dispute = _dispute(request, id)
    items = selectors.mediation_items(dispute, caller(request))
    return {"items": [{"id": i.pk, "seq": i.seq, "kind": i.kind, "visibility": i.visibility,
                       "author": i.author_label, "text": i.text, "created_at": i.created_at.isoformat()}
                      for i in items]}


@router.post("/mediation/disputes/{int:id}/items", auth=API_AUTH, response={201: dict, **ERRORS},
             url_name="mediation_post", summary="Post a message or proposal (both sides, one side, or the mediator)")
def dispute_post(request, id: int, body: MediationItemIn):
    item = services.proposal_post(dispute=_dispute(request, id), actor=caller(request), text=body.text,
                                  visibility=body.visibility, kind=body.kind)
    return Status(201, {"id": item.pk, "seq": item.seq, "visibility": item.visibility,
                        "masked_words": getattr(item, "masked_words", [])})


@router.post("/mediation/disputes/{int:id}/findings", auth=API_AUTH, response={200: dict, **ERRORS},
             url_name="mediation_findings", summary="Mediator: record undisputed facts and disputed points")
def dispute_findings(request, id: int, body: FindingsIn):
    d = services.dispute_record_findings(dispute=_dispute(request, id), actor=caller(request),
                                         undisputed=body.undisputed, disputed=body.disputed)
    return {"undisputed": d.undisputed_facts, "disputed": d.disputed_points}


@router.post("/mediation/disputes/{int:id}/agreement", auth=API_AUTH, response={201: dict, **ERRORS},
             url_name="mediation_agreement", summary="Mediator: draft the mediation agreement from the agreed terms")
def dispute_agreement(request, id: int, body: AgreementIn):
    a = services.agreement_draft(dispute=_dispute(request, id), terms=body.terms, actor=caller(request),
                                 facts=body.facts)
    return Status(201, _agreement_out(a))


@router.post("/mediation/agreements/{int:id}/sign", auth=API_AUTH, response={200: dict, **ERRORS},
             url_name="mediation_sign", summary="Sign the agreement by hand (parties first, the mediator last)")
def agreement_sign(request, id: int, body: AgreementSignIn):
    agreement = Agreement.objects.filter(pk=id).first()
    if agreement is None:
        raise errors.not_found()
    _dispute(request, agreement.dispute_id)
    try:
        strokes = base64.b64decode(body.strokes_png.split(",")[-1], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(_("The signature image is not valid."), code="mediation_bad_strokes") from None
    a = services.agreement_sign(agreement=agreement, actor=caller(request), strokes_png=strokes, device=body.device,
                                session_key=(request.session.session_key or "") if hasattr(request, "session") else "")
    return _agreement_out(a)


@router.post("/mediation/disputes/{int:id}/withdraw", auth=API_AUTH, response={200: DisputeOut, **ERRORS},
             url_name="mediation_withdraw", summary="The applicant withdraws the dispute")
def dispute_withdraw(request, id: int, body: ReasonIn):
    return selectors.dispute_out(services.dispute_withdraw(dispute=_dispute(request, id), actor=caller(request),
                                                           reason=body.reason))


@router.post("/mediation/disputes/{int:id}/fail", auth=API_AUTH, response={200: DisputeOut, **ERRORS},
             url_name="mediation_fail", summary="Mediator: mediation ended without agreement")
def dispute_fail(request, id: int, body: ReasonIn):
    return selectors.dispute_out(services.dispute_fail(dispute=_dispute(request, id), actor=caller(request),
                                                       reason=body.reason))


@router.post("/mediation/disputes/{int:id}/confirm", auth=API_AUTH, response={201: ConfirmOut, **ERRORS},
             url_name="mediation_confirm", summary="Apply for judicial confirmation: opens a 民特 case")
def dispute_confirm(request, id: int):
    case = services.dispute_confirm(dispute=_dispute(request, id), actor=caller(request))
    return Status(201, {"case_id": case.pk, "number": case.number})


@router.post("/mediation/confirmations/{int:case_id}/rule", auth=API_AUTH, response={200: dict, **ERRORS},
             url_name="mediation_rule", summary="Judge: rule on a judicial confirmation (granted or refused)")
def confirmation_rule(request, case_id: int, body: RuleIn):
    confirmation = Confirmation.objects.select_related("case").filter(case_id=case_id).first()
    if confirmation is None or not services._judge_of(confirmation.case.court_id, caller(request)):
        raise errors.not_found()
    paper = services.confirmation_rule(case=confirmation.case, actor=caller(request), granted=body.granted,
                                       reasons=body.reasons)
    return {"paper_id": paper.pk, "status": paper.status, "granted": body.granted}


@router.post("/mediation/disputes/{int:id}/convert", auth=API_AUTH, response={201: ConvertOut, **ERRORS},
             url_name="mediation_convert", summary="Failed mediation → a filing carrying everything over")
def dispute_convert(request, id: int):
    filing = services.dispute_convert(dispute=_dispute(request, id), actor=caller(request))
    return Status(201, {"filing_id": filing.pk})


def _court_for_coordinator(request, court: str):
    user = caller(request)
    courts = selectors.coordinator_courts(user)
    qs = Organisation.objects.filter(pk__in=courts)
    if court:
        qs = qs.filter(court_code=court) if not court.isdigit() else qs.filter(pk=int(court))
    found = qs.order_by("id").first()
    if found is None:
        raise errors.not_coordinator()
    return found


@router.get("/mediation/dashboard", auth=API_AUTH, response={200: dict, **ERRORS}, url_name="mediation_dashboard",
            summary="Coordinators: disputes by type, locality and month; resolution; mediator load; overdue")
def dashboard(request, court: str = "", date_from: str = "", date_to: str = "", dispute_type: str = "",
              locality: str = ""):
    filters = {"date_from": date_from, "date_to": date_to, "dispute_type": dispute_type, "locality": locality}
    return selectors.dashboard(_court_for_coordinator(request, court), {k: v for k, v in filters.items() if v})


@router.get("/mediation/warnings", auth=API_AUTH, response={200: dict, **ERRORS}, url_name="mediation_warnings",
            summary="Coordinators: localities and causes with a sharp rise, with the numbers behind each")
def warnings(request, court: str = ""):
    return {"items": selectors.early_warnings(_court_for_coordinator(request, court))}


@router.get("/mediation/estimate", auth=None, response={200: dict, **ERRORS}, url_name="mediation_estimate",
            summary="Public self-help: fee, duration and common risks for a cause and amount")
def estimate(request, court: str = Query(..., description="Court code, e.g. 粤0306"),
             cause: str = Query(..., description="案由 name or code"), amount: str = ""):
    found = Organisation.objects.filter(kind="court", court_code=court).first()
    if found is None:
        raise ValidationFailed(_("There is no such court."), code="mediation_court", data={"field": "court"})
    return selectors.self_help_estimate(cause, amount or None, found)

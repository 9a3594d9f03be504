"""Service of documents (集约送达): request service on a case, read a case's service status, read a task, record
an attempt. Court staff of the case and the court's service officers work tasks; a party sees only the service
on their own side; anyone else gets 404, as for a case that does not exist."""

from __future__ import annotations

import base64
import binascii
import io

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from yunting.core.cases.models import Participation
from yunting.core.efile.intake import file_through_intake, strokes_through_intake
from yunting.core.service import selectors, services
from yunting.core.service.access import access_case_service_for, access_task_for
from yunting.core.service.errors import ServiceErrorCode
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.security.audit import client_ip, read_log

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["service"])
NOT_FOUND = {404: ErrorOut}


class PlanStepOut(Schema):
    channel: str = Field(description="portal | sms | email | phone | post | direct | announcement")
    reason: str = Field(description="Why this place in the order, in Chinese (from the address history).")


class TaskBriefOut(Schema):
    id: int
    recipient: int = Field(description="The recipient's party id.")
    recipient_name: str
    plan: list[PlanStepOut]
    status: str = Field(description="pending | in_progress | served | failed")


class TasksOut(Schema):
    tasks: list[TaskBriefOut]


class ServiceRequestIn(Schema):
    documents: list[int] = Field(description="E-file document ids of the case (main volume).")
    recipients: list[int] = Field(description="Party ids of the case.")
    due_on: str | None = Field(None, description="Serve by this day, YYYY-MM-DD (default by document kind).")
    dispatch: bool = Field(False, description="Send electronic first channels at once.")


class AttemptOut(Schema):
    channel: str
    at: str = Field(description="ISO 8601 time (UTC offset included).")
    outcome: str = Field(description="delivered | read | failed | refused | published (sent: handed on by dispatch)")
    note: str


class TaskOut(Schema):
    id: int
    case_id: int
    status: str = Field(description="pending | in_progress | served | failed")
    served_on: str | None = Field(None, description="Legal date of service (deemed date for an announcement).")
    served_channel: str | None = None
    recipient: int
    due_on: str | None = None
    current_channel: str
    plan: list[PlanStepOut]
    attempts: list[AttemptOut]


class AttemptIn(Schema):
    channel: str = Field(description="portal | sms | email | phone | post | direct | announcement")
    outcome: str = Field("", description="delivered | read | failed | refused | published (phone: may be left "
                                         "empty when `phrase` is given)")
    note: str = ""
    at: str | None = Field(None, description="When it happened, ISO 8601 (Shanghai if no offset); default now.")
    phrase: str = Field("", description="Phone: a standard phrase code (confirmed, address_confirmed, wrong_number, "
                                        "no_answer, refused, powered_off).")
    tracking_number: str = Field("", description="Post: the EMS number.")
    address_used: str = Field("", description="Phone number, e-mail or address used, when not the plan's.")
    signature_png: str = Field("", description="Direct service: the signature image, base64 PNG.")
    recording: str = Field("", description="Phone: the call recording, base64 audio (optional).")


class DocumentStatusOut(Schema):
    document_id: int
    title: str
    status: str
    served_on: str | None = None
    served_channel: str | None = None
    task_id: int


class RecipientStatusOut(Schema):
    recipient: dict = Field(description="{id, name, role}")
    all_served: bool
    documents: list[DocumentStatusOut]


class CaseServiceOut(Schema):
    case_id: int
    all_served: bool
    recipients: list[RecipientStatusOut]


def _task(t) -> dict:
    return {"id": t.pk, "case_id": t.case_id, "status": t.status,
            "served_on": t.served_on.isoformat() if t.served_on else None,
            "served_channel": t.served_channel or None, "recipient": t.recipient_id,
            "due_on": t.due_on.isoformat() if t.due_on else None, "current_channel": t.current_channel,
            "plan": t.plan,
            "attempts": [{"channel": a.channel, "at": a.at.isoformat(), "outcome": a.outcome, "note": a.note}
                         for a in t.attempts.order_by("at", "id")]}


def _b64(value: str, field: str) -> bytes | None:
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(_("Not valid base64."), code="service_base64", data={"field": field}) from None


def _signature(user, task, value: str) -> bytes | None:
    """The recipient's signature enters like every upload: the checked intake, held to a signature pad's rules."""
    png = _b64(value, "signature_png")
    if png is None:
        return None
    return strokes_through_intake(
        png=png, user=user, purpose="service_attempt", subject=f"service_task:{task.pk}",
        invalid=lambda message="": ValidationFailed(
            message or _("The handwritten signature is missing or not a PNG image."),
            code=ServiceErrorCode.OUTCOME, data={"field": "signature_png"})).png


def _recording(user, task, value: str) -> bytes | None:
    """The call recording enters like every upload: the checked intake (size, type proved by its bytes, quota,
    the sandboxed check), as on the service officer's page."""
    data = _b64(value, "recording")
    if data is None:
        return None
    return file_through_intake(stream=io.BytesIO(data), user=user, purpose="service_attempt",
                               subject=f"service_task:{task.pk}")


@router.post("/cases/{id}/service", response={201: TasksOut, **NOT_FOUND}, url_name="case_service_request",
             summary="Serve documents of the case on its parties (one task per recipient)")
def service_request(request, id: int, body: ServiceRequestIn):
    """Court staff of the case (or the court's service officers). Each task gets a proposed channel order from the
    recipient's address history across all cases, with the reason; electronic channels only with consent."""
    from datetime import date

    user = caller(request)
    case, _works = access_case_service_for(user, id, work=True)
    due = None
    if body.due_on:
        try:
            due = date.fromisoformat(body.due_on)
        except ValueError:
            raise ValidationFailed(_("Enter the date as YYYY-MM-DD."), code="service_when",
                                   data={"field": "due_on"}) from None
    tasks = services.service_request(case=case, documents=body.documents, recipients=body.recipients, actor=user,
                                     due_on=due, dispatch=body.dispatch)
    return Status(201, {"tasks": [{"id": t.pk, "recipient": t.recipient_id, "recipient_name": t.recipient.name,
                                   "plan": t.plan, "status": t.status} for t in tasks]})


@router.get("/cases/{id}/service", response={200: CaseServiceOut, **NOT_FOUND}, url_name="case_service_status",
            summary="Service status per recipient and document")
def service_status(request, id: int):
    """Court staff and service officers see every recipient; a party or lawyer only their own side's."""
    user = caller(request)
    case, works = access_case_service_for(user, id)
    party_ids = None
    if not works:
        party_ids = set(Participation.objects.filter(case=case, user=user, party__isnull=False)
                        .values_list("party_id", flat=True))
        party_ids |= set(case.parties.filter(user=user).values_list("pk", flat=True))
    rows = selectors.case_service_status(case, party_ids=party_ids)
    read_log(user=user, action="service.status", channel="api", case_id=case.pk, object_type="case",
             object_id=case.pk, ip=client_ip(request))
    return {"case_id": case.pk, "all_served": bool(rows) and all(r["all_served"] for r in rows),
            "recipients": [{"recipient": r["recipient"], "all_served": r["all_served"], "documents": r["documents"]}
                           for r in rows]}


@router.get("/service/tasks/{id}", response={200: TaskOut, **NOT_FOUND}, url_name="service_task",
            summary="One service task with its attempts")
def service_task(request, id: int):
    access = access_task_for(caller(request), id)
    read_log(user=caller(request), action="service.task", channel="api", case_id=access.task.case_id,
             object_type="service_task", object_id=access.task.pk, ip=client_ip(request))
    return _task(access.task)


@router.post("/service/tasks/{id}/attempts", response={201: TaskOut, 409: ErrorOut, **NOT_FOUND},
             url_name="service_task_attempt", summary="Record an attempt (service officer)")
def service_attempt(request, id: int, body: AttemptIn):
    """`published` on `announcement` sets `served_on` to the deemed date (30 days after publication, 60 when
    foreign-related, moved past rest days). A failure or refusal moves the task to the next channel of its plan."""
    user = caller(request)
    access = access_task_for(user, id, work=True)
    services.service_attempt_record(
        task=access.task, channel=body.channel, outcome=body.outcome, officer=user, note=body.note, at=body.at,
        phrase=body.phrase, tracking_number=body.tracking_number, address_used=body.address_used,
        signature_png=_signature(user, access.task, body.signature_png),
        recording=_recording(user, access.task, body.recording))
    access.task.refresh_from_db()
    return Status(201, _task(access.task))

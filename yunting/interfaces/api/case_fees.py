"""Fees on cases: what is owed and paid, bank-statement reconciliation for the court's fee staff, relief, and the
judge's list of cases unpaid after the last day (按撤诉处理). A case the caller does not take part in is 404."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.fees import services
from yunting.core.fees.access import payment_courts
from yunting.core.fees.models import FeeNotice, ReliefApplication
from yunting.core.fees.selectors import fee_states, fees_for_case, overdue_notices_for
from yunting.core.people.models import Organisation
from yunting.kernel.common.errors import NotFound, PermissionDenied
from yunting.kernel.common.timeutil import shanghai_today

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["fees"])


class PaymentOut(Schema):
    amount: str
    paid_on: str
    channel: str
    reference: str


class ReliefOut(Schema):
    id: int
    kind: str
    status: str
    reason: str
    requested_amount: str | None = None
    requested_until: str | None = None
    decision_reason: str


class RefundOut(Schema):
    amount: str
    reason: str
    status: str
    paid_out_on: str | None = None


class FeeNoticeOut(Schema):
    id: int
    kind: str
    amount: str
    amount_due: str
    paid: str
    outstanding: str
    issued_on: str
    served_on: str | None = None
    due_on: str
    due_provisional: bool
    reference: str
    state: str
    payments: list[PaymentOut]
    reliefs: list[ReliefOut]
    refund: RefundOut | None = None


class CaseFeesOut(Schema):
    case_id: int
    state: str
    items: list[FeeNoticeOut]


class StatementLineOut(Schema):
    line: int
    outcome: str
    message: str
    reference: str
    amount: str
    date: str
    case_id: int | None = None
    notice_id: int | None = None


class StatementOut(Schema):
    id: int
    line_count: int
    matched_count: int
    matched_total: str
    report: list[StatementLineOut]


class UnpaidOut(Schema):
    case_id: int
    case_number: str
    notice_id: int
    outstanding: str
    due_on: str
    days_overdue: int


class UnpaidListOut(Schema):
    items: list[UnpaidOut]


class ReliefIn(Schema):
    kind: str
    reason: str
    amount: str | None = None
    until: str | None = None


class DecisionIn(Schema):
    approved: bool
    reason: str = ""
    amount: str | None = None
    until: str | None = None


def _day(d) -> str | None:
    return d.isoformat() if d else None


def _notice(view) -> dict:
    n = view.notice
    refund = view.refund
    return {
        "id": n.pk, "kind": n.kind, "amount": str(n.amount), "amount_due": str(n.amount_due),
        "paid": str(n.paid_amount), "outstanding": str(n.outstanding), "issued_on": n.issued_on.isoformat(),
        "served_on": _day(n.served_on), "due_on": n.due_on.isoformat(), "due_provisional": n.due_provisional,
        "reference": n.reference, "state": str(view.state),
        "payments": [{"amount": str(p.amount), "paid_on": p.paid_on.isoformat(), "channel": p.channel,
                      "reference": p.reference} for p in view.payments],
        "reliefs": [{"id": r.pk, "kind": r.kind, "status": r.status, "reason": r.reason,
                     "requested_amount": str(r.requested_amount) if r.requested_amount is not None else None,
                     "requested_until": _day(r.requested_until), "decision_reason": r.decision_reason}
                    for r in view.reliefs],
        "refund": {"amount": str(refund.amount), "reason": refund.reason, "status": refund.status,
                   "paid_out_on": _day(refund.paid_out_on)} if refund else None,
    }


def _visible(request, model, pk):
    row = model.objects.select_related("case").filter(pk=pk).first()
    try:
        access_case_for(caller(request), row.case_id if row else 0)
    except CaseNotFound:
        raise CaseNotFound() from None  # the same answer as for a case one may not see
    return row


NOT_FOUND = {404: ErrorOut}


@router.get("/cases/{id}/fees", response={200: CaseFeesOut, **NOT_FOUND}, url_name="case_fees",
            summary="The case's fee notices, payments, relief and refunds")
def case_fees(request, id: int):
    access = access_case_for(caller(request), id, need=Capability.VIEW_CASE)
    views = fees_for_case(access.case)
    return {"case_id": access.case.pk, "state": fee_states([access.case.pk])[access.case.pk],
            "items": [_notice(v) for v in views]}


@router.post("/fees/statements", response={201: StatementOut, 403: ErrorOut}, url_name="fee_statement_import",
             summary="Import a bank statement (CSV: reference, amount, date) and reconcile it")
def statement_import(request, file: File[UploadedFile]):
    """The court's fee staff (filing officers, court administrators) only. Each line is matched to a fee notice by
    its payment reference (缴费识别码) or a case number in the remark; the answer reports every line. Importing the
    same statement again records nothing twice."""
    user = caller(request)
    courts = payment_courts(user)
    if not courts:
        raise PermissionDenied(_("You may not do this with the fees of this case."), code="fee_not_allowed")
    court = Organisation.objects.get(pk=courts[0])
    statement = services.fee_statement_import(court=court, actor=user, data=file.read(), filename=file.name or "")
    return Status(201, {"id": statement.pk, "line_count": statement.line_count,
                        "matched_count": statement.matched_count, "matched_total": str(statement.matched_total),
                        "report": statement.report})


@router.get("/fees/unpaid", response={200: UnpaidListOut, **NOT_FOUND}, url_name="fee_unpaid",
            summary="Cases unpaid after the last day to pay (按撤诉处理): the judge's list")
def unpaid(request):
    notices = overdue_notices_for(caller(request))
    if notices is None:
        raise NotFound(_("This list is for the court's judges and fee staff."), code="fee_list_not_found")
    today = shanghai_today()
    return {"items": [{"case_id": n.case_id, "case_number": n.case.number, "notice_id": n.pk,
                       "outstanding": str(n.outstanding), "due_on": n.due_on.isoformat(),
                       "days_overdue": (today - n.due_on).days} for n in notices[:1000]]}


@router.post("/fees/notices/{id}/relief", response={201: ReliefOut, 403: ErrorOut, 409: ErrorOut, **NOT_FOUND},
             url_name="fee_relief_apply", summary="Apply to defer, reduce or waive a fee (a party or lawyer)")
def relief_apply(request, id: int, body: ReliefIn):
    notice = _visible(request, FeeNotice, id)
    application = services.fee_relief_apply(notice=notice, actor=caller(request), kind=body.kind,
                                            reason=body.reason, amount=body.amount, until=body.until)
    return Status(201, _relief(application))


@router.post("/fees/relief/{id}/decision", response={200: ReliefOut, 403: ErrorOut, 409: ErrorOut, **NOT_FOUND},
             url_name="fee_relief_decide", summary="Decide a relief application (the judge or fee staff)")
def relief_decide(request, id: int, body: DecisionIn):
    application = _visible(request, ReliefApplication, id)
    application = services.fee_relief_decide(application=application, actor=caller(request), approve=body.approved,
                                             reason=body.reason, amount=body.amount, until=body.until)
    return _relief(application)


def _relief(r) -> dict:
    return {"id": r.pk, "kind": r.kind, "status": r.status, "reason": r.reason,
            "requested_amount": str(r.requested_amount) if r.requested_amount is not None else None,
            "requested_until": _day(r.requested_until), "decision_reason": r.decision_reason}

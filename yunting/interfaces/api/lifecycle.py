"""Assignment (分案) and court-level counts: POST /cases/{id}/assignment, POST /cases/assign-auto,
GET /courts/{court_code}/counts."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import StrictInt

from yunting.core.cases.access import access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.models import Case
from yunting.core.courts import permissions
from yunting.core.courts.selectors import court_counts
from yunting.core.courts.services import case_assign, cases_assign_auto
from yunting.core.people.models import Organisation
from yunting.kernel.common.errors import NotFound, PermissionDenied

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["assignment"])


class AssignmentIn(Schema):
    judge: StrictInt = Field(..., description="User id of the judge (承办法官).")
    panel: list[StrictInt] = Field(default_factory=list, description="合议庭 for ordinary procedure, presiding judge first.")
    clerk: StrictInt | None = Field(None, description="User id of the clerk (书记员).")
    assistant: StrictInt | None = Field(None, description="User id of the judge assistant (法官助理).")
    procedure: str = Field(..., description="simple | ordinary | small_claims | expedited")
    reason: str = Field(..., description="Why (stored in the journal and shown).")


class AssignmentOut(Schema):
    judge: int
    judge_name: str
    panel: list[int]
    clerk: int | None = None
    assistant: int | None = None
    division: int
    division_name: str
    procedure: str
    reason: str
    auto: bool
    previous_judge: int | None = None


class AutoIn(Schema):
    case_ids: list[StrictInt] = Field(..., max_length=20000, description="Cases to assign by rule (up to 20,000).")


class AutoItemOut(Schema):
    case_id: int
    assigned: bool
    judge: int | None = None
    judge_name: str
    reason: str
    code: str = ""


class AutoOut(Schema):
    items: list[AutoItemOut]
    assigned: int


class JudgeCountOut(Schema):
    judge_id: int | None = None
    judge: str
    open: int


class CountsOut(Schema):
    open: int
    unassigned: int
    closed_this_month: int
    overdue: int | None = None
    by_judge: list[JudgeCountOut]


def _case_for_assignment(user, case_id) -> Case:
    """The case, if the caller sees it or may assign in its court; otherwise 404 as for any case."""
    try:
        return access_case_for(user, case_id).case
    except CaseNotFound:
        case = (Case.objects.filter(pk=case_id if 0 < case_id < 2**63 else 0, status="registered")
                .exclude(security_level="secret").exclude(state__judge__isnull=False).first())  # unassigned only
        if case is not None and permissions.may_assign_first(user, case.court_id):
            return case
        raise


@router.post("/cases/assign-auto", response={200: AutoOut}, url_name="cases_assign_auto",
             summary="Assign cases by rule (a whole accepted batch in one call)")
def assign_auto(request, body: AutoIn):
    results = cases_assign_auto(case_ids=body.case_ids, actor=caller(request))
    items = [{"case_id": r.case_id, "assigned": r.assigned, "judge": r.judge, "judge_name": r.judge_name,
              "reason": str(r.reason), "code": r.code} for r in results]
    return {"items": items, "assigned": sum(1 for r in results if r.assigned)}


@router.post("/cases/{id}/assignment", response={200: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
             url_name="case_assignment", summary="Assign or re-assign a case by hand")
def assignment(request, id: int, body: AssignmentIn):
    user = caller(request)
    case = _case_for_assignment(user, id)
    return case_assign(case=case, actor=user, judge=body.judge, panel=body.panel, clerk=body.clerk,
                       assistant=body.assistant, procedure=body.procedure, reason=body.reason)


@router.get("/courts/{court_code}/counts", response={200: CountsOut, 403: ErrorOut, 404: ErrorOut},
            url_name="court_counts", summary="Open, unassigned, closed this month, overdue, by judge")
def counts(request, court_code: str, on: date | None = None):
    user = caller(request)
    court = Organisation.objects.filter(kind="court", court_code=court_code).first()
    if court is None:
        raise NotFound(_("No such court."), code="court_not_found")
    if not (permissions.may_assign_first(user, court.pk) or permissions.is_court_admin(user, court.pk)):
        raise PermissionDenied(_("Only this court's administrators can see the whole court's figures."), code="counts_forbidden")
    return court_counts(court, today=on)

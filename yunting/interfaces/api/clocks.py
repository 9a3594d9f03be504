"""Deadlines: the public calculator (GET /deadlines/compute answers exactly what `yunting deadline` prints) and a
case's deadlines for its participants (404 for anyone else, as everywhere)."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.clocks.compute import deadline_compute_checked
from yunting.core.clocks.selectors import deadlines_for
from yunting.kernel.calendar import PERIODS

from .auth import API_AUTH, caller
from .schemas import ErrorOut

public = Router(auth=None, tags=["deadlines"])
router = Router(auth=API_AUTH, tags=["deadlines"])


class StepOut(Schema):
    op: str = Field(description="start | add | extend | exclude | rest_day | provisional")
    date: str | None = Field(None, description="The date this step arrives at, YYYY-MM-DD.")
    text: str = Field(description="The step in words.")


class ComputedOut(Schema):
    kind: str
    label: str
    from_: str = Field(alias="from", description="The event date (not counted), YYYY-MM-DD.")
    due: str = Field(description="The last day, YYYY-MM-DD.")
    basis: str = Field(description="The article applied.")
    provisional: bool = Field(description="True when a year the period touches has no published official "
                                          "holiday calendar yet (weekends only were counted).")
    excluded_days: int
    extension_months: int
    steps: list[StepOut]


class CaseDeadlineOut(Schema):
    kind: str
    due: str
    starts_on: str
    status: str = Field(description="running | near (≤ 3 working days) | overdue (a court clock past due) | "
                                    "expired (a party's period past) | suspended | done")
    basis: str
    excluded_days: int
    key: str = Field(description="Stable within the case: trial, fee:<notice>, answer:<party>, appeal:judgment:<party>")
    label: str
    days_left: int
    working_days_left: int
    provisional: bool
    extension_months: int
    party_id: int | None
    party_name: str
    note: str


class CaseDeadlinesOut(Schema):
    items: list[CaseDeadlineOut]


@public.get("/deadlines/compute", response={200: ComputedOut, 400: ErrorOut}, by_alias=True,
            url_name="deadline_compute", openapi_extra={"x-parameters": [
                {"in": "query", "name": "kind", "required": True, "schema": {"type": "string", "enum": list(PERIODS)},
                 "description": "The period."},
                {"in": "query", "name": "from", "required": True, "schema": {"type": "string", "format": "date"},
                 "description": "The event date (not counted), YYYY-MM-DD."},
                {"in": "query", "name": "excluded", "required": False, "style": "form", "explode": True,
                 "schema": {"type": "array", "items": {"type": "string",
                                                       "pattern": r"^\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}$"}},
                 "description": "START:END intervals not counted (both days included); repeat."},
                {"in": "query", "name": "court", "required": False, "schema": {"type": "string"},
                 "description": "Court code (e.g. 粤0306): also skip the days that court declared closed."}]},
            summary="Compute a statutory period (民事诉讼法第八十五条, official holiday calendar)")
def compute(
    request,
    kind: str = Query("", description=f"One of: {', '.join(PERIODS)}.", enum=list(PERIODS)),
    start: str = Query("", alias="from", description="The event date (not counted), YYYY-MM-DD."),
    excluded: list[str] | None = Query(  # noqa: B008 (ninja reads the default; a repeated query parameter)
        None, description="START:END intervals not counted (both days included); repeat."),
    court: str = Query("", description="Court code (e.g. 粤0306): also skip the days that court declared closed."),
):
    return deadline_compute_checked(kind, start, excluded, court_code=court)


@router.get("/cases/{id}/deadlines", response={200: CaseDeadlinesOut, 404: ErrorOut}, url_name="case_deadlines",
            summary="The case's deadlines, computed from its journal")
def case_deadlines(request, id: int):
    access = access_case_for(caller(request), id, need=Capability.VIEW_CASE)
    return {"items": [d.as_api() for d in deadlines_for(access.case)]}

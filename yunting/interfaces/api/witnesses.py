"""证人在线作证 (issue 15): the eligibility check others rely on. The same body and answer as
`yunting witness check --input application.json`, with the default (Ningbo Beilun) rules. A pure check about a
described application: no case is read, so there is nothing to log as read."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema

from yunting.workflows.witnesses import eligibility
from yunting.workflows.witnesses.errors import EligibilityInputError, WitnessErrorCode

from .auth import API_AUTH
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["witnesses"])


class WitnessEligibilityIn(Schema):
    """Every field is checked by the evaluator itself, so a bad value answers 422 naming the field."""

    procedure: Any = Field(None, description="ordinary_panel | ordinary | simple | small_claims (required)")
    ground: Any = Field(None, description="online_hearing | cost | health | transport | force_majeure | other "
                                          "(required)")
    applicant_flags: Any = Field(None, description="professional_lender, dishonest_debtor, integrity_yellow, "
                                                   "integrity_red, abusive_litigant")
    witness_flags: Any = Field(None, description="The same flags, for the witness.")
    online_witnesses_for_side: Any = Field(None, description="Online witnesses the side applies for, this one "
                                                             "included (default 1).")
    objection_witness_may_be_directed: Any = Field(None, description="The other side's reasonable ground that the "
                                                                     "witness may be directed by others.")
    several_witnesses_online: Any = Field(None, description="Several witnesses testify online.")
    applicant_outside_designated_place: Any = Field(None, description="The applicant takes part from a place the "
                                                                      "court did not designate.")


class WitnessEligibilityOut(Schema):
    online_allowed: bool
    designated_place_required: bool
    reasons: list[str] = Field(description="In Chinese: one per rule that fired, and a positive reason when allowed.")


@router.post("/witness-eligibility", response={200: WitnessEligibilityOut, 422: ErrorOut},
             url_name="witness_eligibility", summary="Check whether a witness may testify online (default rules)")
def witness_eligibility(request, body: WitnessEligibilityIn):
    data = {k: v for k, v in body.dict().items() if v is not None}
    try:
        return eligibility.check(data)
    except eligibility.InputError as exc:
        raise EligibilityInputError(exc.message, code=WitnessErrorCode.ELIGIBILITY_INPUT,
                                    data={"field": exc.field, **exc.extra}) from None

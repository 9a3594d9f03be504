"""Witness errors: stable codes; messages in English for gettext (Chinese in the .po file).

ApplicationError
├── NotFound            witness_not_found (also: an application you may not see)
├── PermissionDenied    witness_not_judge, witness_not_party, witness_not_other_side, witness_not_court_admin
├── ValidationFailed    witness_invalid (field in data), witness_reason_required
│   └── EligibilityInputError (422) witness_eligibility_invalid: a bad eligibility body (field in data)
└── Conflict            witness_state, witness_objection_closed, witness_objection_open,
                        witness_second_check_missing, witness_oath_missing, witness_designated_place
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class WitnessErrorCode(StrEnum):
    NOT_FOUND = "witness_not_found"
    NOT_JUDGE = "witness_not_judge"
    NOT_PARTY = "witness_not_party"
    NOT_OTHER_SIDE = "witness_not_other_side"
    NOT_COURT_ADMIN = "witness_not_court_admin"
    INVALID = "witness_invalid"
    REASON = "witness_reason_required"
    ELIGIBILITY_INPUT = "witness_eligibility_invalid"
    STATE = "witness_state"
    OBJECTION_CLOSED = "witness_objection_closed"
    OBJECTION_OPEN = "witness_objection_open"
    SECOND_CHECK = "witness_second_check_missing"
    OATH = "witness_oath_missing"
    DESIGNATED_PLACE = "witness_designated_place"


class WitnessNotFound(NotFound):
    def __init__(self, **kw):
        super().__init__(_("Witness application not found."), code=WitnessErrorCode.NOT_FOUND, **kw)


class EligibilityInputError(ValidationFailed):
    """A bad eligibility body: 422 with the field and a message saying what is expected."""

    http_status = 422


def not_judge():
    return PermissionDenied(_("Only the judge of this case can do this."), code=WitnessErrorCode.NOT_JUDGE)


def not_party():
    return PermissionDenied(_("Only a party of this case (or its lawyer) can apply for a witness."),
                            code=WitnessErrorCode.NOT_PARTY)


def not_other_side():
    return PermissionDenied(_("Only the other side may object to this witness."), code=WitnessErrorCode.NOT_OTHER_SIDE)


def not_court_admin():
    return PermissionDenied(_("Only the court's administrator can change the witness rules."),
                            code=WitnessErrorCode.NOT_COURT_ADMIN)


def invalid(message, *, field: str, **data):
    return ValidationFailed(message, code=WitnessErrorCode.INVALID, data={"field": field, **data})


def reason_required(message=None):
    return ValidationFailed(message or _("Give the reason."), code=WitnessErrorCode.REASON, data={"field": "reason"})


def bad_state(status: str):
    return Conflict(_("This cannot be done at this stage of the witness application."), code=WitnessErrorCode.STATE,
                    data={"status": status})


def conflict(message, code: WitnessErrorCode, **data):
    return Conflict(message, code=code, data=data)

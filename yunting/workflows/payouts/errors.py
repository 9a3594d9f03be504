"""Payout errors: stable codes; English msgids (Chinese in the .po file). Nothing changes when one is raised.

ApplicationError
├── NotFound: payout_none
├── PermissionDenied: payout_judge_only
├── Conflict: payout_state
└── ValidationFailed: payout_amount, payout_total_mismatch, payout_recipient, payout_card_luhn,
                      payout_card_format, payout_bank_unknown, payout_bank_mismatch, payout_account_name,
                      payout_not_confirmed_amount, payout_strokes
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def none() -> NotFound:
    return NotFound(_("No such payout."), code="payout_none")


def judge_only() -> PermissionDenied:
    return PermissionDenied(_("Only the judge of the case can do this."), code="payout_judge_only")


def state(message) -> Conflict:
    return Conflict(message, code="payout_state")


def invalid(message, code: str, field: str, **data) -> ValidationFailed:
    return ValidationFailed(message, code=code, data={"field": field, **data})

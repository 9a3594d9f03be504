"""Errors of the filing workflow, with stable codes.

ApplicationError                  (yunting.kernel.common.errors)
└── ValidationFailed (400)
    └── FeeInputError             — a fee estimate asked with bad input; nothing was computed
ValueError
└── FeeConfigurationError         — a court setting (range amount, rounding step) is outside what the law allows
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from yunting.kernel.common.errors import ValidationFailed


class FeeErrorCode(StrEnum):
    UNKNOWN_KIND = "fee_unknown_kind"
    AMOUNT_INVALID = "fee_amount_invalid"
    AMOUNT_NEGATIVE = "fee_amount_negative"
    AMOUNT_TOO_PRECISE = "fee_amount_too_precise"
    AMOUNT_TOO_LARGE = "fee_amount_too_large"
    AMOUNT_REQUIRED = "fee_amount_required"
    HALF_NOT_ALLOWED = "fee_half_not_allowed"


class FeeInputError(ValidationFailed):
    """Bad input to the fee calculator; the API answers 400, the CLI exits 2."""

    def __init__(self, code: FeeErrorCode, message: str, **data: Any):
        super().__init__(message, code=str(code), data=data)


class FeeConfigurationError(ValueError):
    """YUNTING_FEE_RANGE_AMOUNTS or YUNTING_FEE_ROUNDING is wrong: a deployment error, not the caller's."""

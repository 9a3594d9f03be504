"""Errors of the filing workflow, with stable codes.

ApplicationError                  (yunting.kernel.common.errors)
├── NotFound (404)
│   └── FilingNotFound            — no such filing, or not one the caller may see (the same answer)
├── PermissionDenied (403)        — FilingErrorCode.NOT_REVIEWER: only the court's filing officers decide
├── Conflict (409)                — FilingErrorCode.WRONG_STATUS: not allowed in the filing's current status
└── ValidationFailed (400)
    ├── FilingInvalid             — submit refused; data["problems"] lists every field-level problem at once
    └── FeeInputError             — a fee estimate asked with bad input; nothing was computed
ValueError
└── FeeConfigurationError         — a court setting (range amount, rounding step) is outside what the law allows
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yunting.kernel.common.errors import NotFound, ValidationFailed


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


class FilingErrorCode(StrEnum):
    NOT_FOUND = "filing_not_found"
    WRONG_STATUS = "filing_wrong_status"
    NOT_REVIEWER = "filing_not_reviewer"
    INVALID = "filing_invalid"
    REASON_REQUIRED = "filing_reason_required"
    BATCH_INVALID = "filing_batch_invalid"
    KEY_INVALID = "filing_key_invalid"


class FilingNotFound(NotFound):
    default_code = FilingErrorCode.NOT_FOUND

    def __init__(self):
        super().__init__(_("The filing does not exist, or you may not see it."),
                         code=str(FilingErrorCode.NOT_FOUND))


class FilingInvalid(ValidationFailed):
    """Submission refused; `data["problems"]` is the whole list of [{field, code, message}].

    Messages are translated when raised, so the caller's language (the API's Accept-Language, the page's
    language switch) applies; the codes are the contract and never change with it.
    """

    def __init__(self, problems: list[dict]):
        message = ngettext("The filing has %(count)d problem; correct it and submit again.",
                           "The filing has %(count)d problems; correct them and submit again.",
                           len(problems)) % {"count": len(problems)}
        super().__init__(message, code=str(FilingErrorCode.INVALID), data={"problems": problems})

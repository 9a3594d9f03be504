"""Fee errors: stable codes, messages in English for gettext (Chinese in the .po file).

ApplicationError
├── NotFound            fee_notice_not_found
├── PermissionDenied    fee_not_allowed
├── ValidationFailed    fee_amount_invalid, fee_relief_*, fee_statement_*
└── Conflict            fee_notice_settled, fee_relief_decided, fee_refund_paid, fee_relief_pending
"""

from enum import StrEnum


class FeeErrorCode(StrEnum):
    NOTICE_NOT_FOUND = "fee_notice_not_found"
    NOT_ALLOWED = "fee_not_allowed"
    AMOUNT_INVALID = "fee_amount_invalid"
    DATE_INVALID = "fee_date_invalid"
    NOTICE_SETTLED = "fee_notice_settled"
    RELIEF_REASON = "fee_relief_reason"
    RELIEF_KIND = "fee_relief_kind"
    RELIEF_REDUCTION = "fee_relief_reduction"
    RELIEF_WAIVER_PERSON = "fee_relief_waiver_person"
    RELIEF_DATE = "fee_relief_date"
    RELIEF_PENDING = "fee_relief_pending"
    RELIEF_DECIDED = "fee_relief_decided"
    REFUND_PAID = "fee_refund_paid"
    STATEMENT_EMPTY = "fee_statement_empty"
    STATEMENT_UNREADABLE = "fee_statement_unreadable"
    GATEWAY_OFF = "fee_gateway_off"
    GATEWAY_DECLINED = "fee_gateway_declined"

"""Ledger errors: all are bad requests (400) with a stable code; nothing was changed.

ValidationFailed (kernel.common.errors)
└── LedgerError
    codes: ledger_param (malformed input), ledger_range (sizes/indices outside the log),
           ledger_unknown_hash (no leaf has that hash), ledger_unknown_document (no leaf lists that document)
"""

from yunting.kernel.common.errors import ValidationFailed


class LedgerError(ValidationFailed):
    default_code = "ledger_param"

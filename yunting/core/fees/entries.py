"""The entry kinds this app appends to the case journal (payload keys fixed by the lifecycle contract).

- fee.notice_issued   {"notice_id", "amount", "kind", "issued_on", "due_on"}
- fee.paid            {"notice_id", "amount", "paid_on", "reference", "channel"}
- fee.relief_requested {"kind": "defer"|"reduce"|"waive", "reason", "notice_id", "amount"?, "defer_until"?}
- fee.relief_decided  {"approved", "kind", "amount", "notice_id", "due_on"}
- fee.refunded        {"amount", "reason", "paid_out_on", "refund_id"}
Extra keys beyond the contract's are additive only; amounts are decimal strings with two places.
"""

NOTICE_ISSUED = "fee.notice_issued"
PAID = "fee.paid"
RELIEF_REQUESTED = "fee.relief_requested"
RELIEF_DECIDED = "fee.relief_decided"
REFUND_DUE = "fee.refund_due"
REFUNDED = "fee.refunded"

"""Entry kinds of payouts (every payload carries "payout_id"; never an account number, only its masked form).

- payouts.opened     {"payout_id", "received_total", "shares": [{"share_id", "party_id", "amount"}]}
- payouts.confirmed  {"payout_id", "share_id", "party_id", "amount", "bank_code", "account_masked"}
- payouts.signed     {"payout_id", "share_id", "party_id", "signature_sha256", "record_sha256"}
- payouts.approved   {"payout_id"} + the sealed distribution records (案款发还笔录) into the e-file
- payouts.cancelled  {"payout_id", "reason"}
- casespace.card_wanted {"card": "payout", ...}
"""

OPENED = "payouts.opened"
CONFIRMED = "payouts.confirmed"
SIGNED = "payouts.signed"
APPROVED = "payouts.approved"
CANCELLED = "payouts.cancelled"
CARD_WANTED = "casespace.card_wanted"

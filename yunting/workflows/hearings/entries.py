"""Entry kinds this workflow appends to the case journal. Every payload carries "hearing_id".

- hearing.requested      {"hearing_id", "stage_kind", "slots_needed"}
- hearing.proposed       {"hearing_id", "round", "options": [{"option_id", "date", "slot", "courtroom_id"}], "vote_deadline"}
- hearing.voted          {"hearing_id", "party_id", "answers": {option_id: bool}}
- hearing.confirmed      {"hearing_id", "date", "slot", "starts_at", "courtroom_id", "form", "room_id", "override_reason"}
- hearing.rescheduled    {"hearing_id", "before", "after", "reason"}
- hearing.cancelled      {"hearing_id", "reason"}
- hearing.consent        {"hearing_id", "party_id", "decision", "reason", "form"}: consent / refuse / withdraw (OLR 4–5)
- hearing.form_set       {"hearing_id", "form", "art21_ground", "note"}: the judge records an art-21 ground
- hearing.summons_ready  {"hearing_id", "paper_ids"}: summonses issued, waiting for the court seal
- hearing.notice_short   {"hearing_id", "served_on", "date"}: service came later than 3 days before the hearing
- hearing.stage_set      {"hearing_id", "room_id", "stage", "label"}: pushed to every open page of the case
- hearing.held           {"hearing_id"}
- service.wanted         core/service serves the sealed summons on its party
"""

REQUESTED = "hearing.requested"
PROPOSED = "hearing.proposed"
VOTED = "hearing.voted"
CONFIRMED = "hearing.confirmed"
RESCHEDULED = "hearing.rescheduled"
CANCELLED = "hearing.cancelled"
CONSENT = "hearing.consent"
FORM_SET = "hearing.form_set"
SUMMONS_READY = "hearing.summons_ready"
NOTICE_SHORT = "hearing.notice_short"
STAGE_SET = "hearing.stage_set"
HELD = "hearing.held"
SERVICE_WANTED = "service.wanted"

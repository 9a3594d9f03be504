"""The entry kinds witnesses append to the case journal. Every payload carries "application_id"; acts in a room
add "room_id" and "participant_id" (the witness's seat).

- witnesses.applied          {"application_id", "side", "witness_name", "ground", "verdict": {...}, "input": {...}}
- witnesses.decided          {"application_id", "approved", "overrides_verdict", "reason", "objection_deadline"?}
- witnesses.objected         {"application_id", "reason", "may_be_directed", "designated_place_required"}
- witnesses.objection_decided {"application_id", "upheld", "reason"}: upheld → the witness testifies in person
- witnesses.approved         {"application_id", "paper_id"}: online testimony final, the notice issued
- witnesses.notice_ready     {"application_id", "paper_id"}: waits for the seal holder (then served)
- witnesses.invited          {"application_id", "room_id", "participant_id", "separate_session"}
- witnesses.called           {"application_id", "room_id", "participant_id"}: the second identity check starts
- witnesses.oath_signed      {"application_id", "room_id", "participant_id", "strokes_sha256"} + the signed 证人保证书
                             (a witness-submitted document, never court-issued)
- witnesses.admitted         {"application_id", "room_id", "participant_id", "verified_at", "place"}
- witnesses.read_aloud       {"application_id", "room_id", "participant_id"}
- witnesses.stopped          {"application_id", "room_id", "participant_id", "reason", "reason_label", "text",
                              "outcome": "lobby"|"dismissed"}
- witnesses.dismissed        {"application_id", "room_id", "participant_id"}
- witnesses.place_recorded   {"application_id", "other_court"}
Read from others: sharedcourt.presence_confirmed {"point_id", "session_kind", "room_id", "participant_id",
"person_name", "alone", "staff_user_id"}; room.patrol_flagged (core/rooms/media).
"""

APPLIED = "witnesses.applied"
DECIDED = "witnesses.decided"
OBJECTED = "witnesses.objected"
OBJECTION_DECIDED = "witnesses.objection_decided"
APPROVED = "witnesses.approved"
NOTICE_READY = "witnesses.notice_ready"
INVITED = "witnesses.invited"
CALLED = "witnesses.called"
OATH_SIGNED = "witnesses.oath_signed"
ADMITTED = "witnesses.admitted"
READ_ALOUD = "witnesses.read_aloud"
STOPPED = "witnesses.stopped"
DISMISSED = "witnesses.dismissed"
PLACE_RECORDED = "witnesses.place_recorded"

PRESENCE_CONFIRMED = "sharedcourt.presence_confirmed"
PATROL_FLAGGED = "room.patrol_flagged"
SERVICE_WANTED = "service.wanted"

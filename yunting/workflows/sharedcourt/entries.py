"""Entry kinds this app appends to the case journal. Every payload carries "attendance_id" and "point_id" except
where noted; staff acts carry "staff_user_id" (the actor) and "party_user_id" (for whom), so both are on record.

sharedcourt.attendance_requested {attendance_id, point_id, room_id, session_kind, party_user_id, scheduled_at,
                                  proposed_by_court: bool} — a party applied, or the judge proposed (then approved
                                  follows at once)
sharedcourt.attendance_approved  {attendance_id, point_id, room_id, session_kind, party_user_id}
sharedcourt.attendance_refused   {attendance_id, point_id, room_id, party_user_id, reason}
sharedcourt.identity_checked     {attendance_id, point_id, participant_id, party_user_id, staff_user_id,
                                  id_number_masked, photo_sha256} — ID number (GB 11643) and a document-camera photo
sharedcourt.assisted_join        {attendance_id, point_id, room_id, participant_id, seat, party_user_id,
                                  staff_user_id} — the staff's device took the party's seat
sharedcourt.presence_confirmed   {point_id, session_kind: "hearing"|"mediation"|"witness", room_id, participant_id,
                                  person_name, alone: true, staff_user_id} (+ attendance_id) — the contract the
                                  witnesses app relies on before admitting a witness who must testify from a
                                  designated place
sharedcourt.signed               {attendance_id, point_id, party_user_id, staff_user_id, title, strokes_sha256}
"""

ATTENDANCE_REQUESTED = "sharedcourt.attendance_requested"
ATTENDANCE_APPROVED = "sharedcourt.attendance_approved"
ATTENDANCE_REFUSED = "sharedcourt.attendance_refused"
IDENTITY_CHECKED = "sharedcourt.identity_checked"
ASSISTED_JOIN = "sharedcourt.assisted_join"
PRESENCE_CONFIRMED = "sharedcourt.presence_confirmed"
SIGNED = "sharedcourt.signed"

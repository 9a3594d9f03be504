"""Entry kinds this app appends. Payloads always carry `transcript_id` and `hearing_id`.

transcripts.opened                {text_from: "blank" | "asynctrial_report"}
transcripts.review_started        {version, text_digest, due, period, signers: [{user_id, label}], absent, left}
transcripts.correction_requested  {correction_id, version, requester, passage, proposed}
transcripts.correction_accepted   {correction_id, version (the new one), text_digest}
transcripts.correction_refused    {correction_id, reason}
transcripts.signed                {signer, label, version, certificate_serial, strokes_sha256, device}
transcripts.refused               {signer, label, version, reason, recorded_by}
transcripts.completed             {version, signed, refused} + the signed PDF (庭审笔录, 正卷), appended by the
                                  platform (actor none): court-issued material
judgment.pronounced               {hearing_id, pronounced_on} — starts the clock "serve the judgment within 10 days"
                                  (CPL art 151; core/clocks reads it)
"""

OPENED = "transcripts.opened"
REVIEW_STARTED = "transcripts.review_started"
CORRECTION_REQUESTED = "transcripts.correction_requested"
CORRECTION_ACCEPTED = "transcripts.correction_accepted"
CORRECTION_REFUSED = "transcripts.correction_refused"
SIGNED = "transcripts.signed"
REFUSED = "transcripts.refused"
COMPLETED = "transcripts.completed"
JUDGMENT_PRONOUNCED = "judgment.pronounced"

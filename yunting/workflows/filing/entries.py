"""The entry kinds this app writes: into the case journal once a case exists, into FilingEvent before."""

SAVED = "filing.draft_saved"  # FilingEvent only, and only when a draft is first created
SUBMITTED = "filing.submitted"
SUPPLEMENT_REQUESTED = "filing.supplement_requested"
RESUBMITTED = "filing.resubmitted"
REJECTED = "filing.rejected"
ACCEPTED = "filing.accepted"  # journal: carries the filing's documents into the e-file
NOTICE_ISSUED = "filing.notice_issued"
NOTICE_FAILED = "filing.notice_failed"

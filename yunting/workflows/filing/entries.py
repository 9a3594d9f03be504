"""The entry kinds this app writes: into the case journal once a case exists, into FilingEvent before."""

SAVED = "filing.draft_saved"  # FilingEvent only, and only when a draft is first created
SUBMITTED = "filing.submitted"
SUPPLEMENT_REQUESTED = "filing.supplement_requested"
RESUBMITTED = "filing.resubmitted"
REJECTED = "filing.rejected"
ACCEPTED = "filing.accepted"  # journal: carries the filing's documents into the e-file
NOTICE_ISSUED = "filing.notice_issued"
NOTICE_FAILED = "filing.notice_failed"
DRAFT_DELETED = "filing.draft_deleted"  # FilingEvent: the filer deleted a draft
WITHDRAWN = "filing.withdrawn"  # FilingEvent: the filer withdrew a submitted filing before a decision
RULING_ISSUED = "filing.rejection_ruling"  # journal: the 不予受理裁定 on the case opened to record the refusal
RULING_SERVED = "filing.ruling_delivered"  # FilingEvent: the sealed ruling was delivered to the filer

"""Entry kinds this workflow appends to the dispute's (民诉前调) case journal, and to the 民特 case it opens."""

SUBMITTED = "mediation.submitted"  # the dispute was received (party, agency or filing desk)
ASSIGNED = "mediation.assigned"  # a coordinator asked a mediator
PICKED = "mediation.picked"  # one party picked a mediator
ACCEPTED = "mediation.assignment_accepted"
DECLINED = "mediation.assignment_declined"
STARTED = "mediation.started"  # mode room | thread
PROPOSAL = "mediation.proposal_posted"  # besides threads.item_posted
AGREEMENT_DRAFTED = "mediation.agreement_drafted"
AGREEMENT_SIGNED = "mediation.agreement_signed"  # one signature; `complete` when the last
AGREED = "mediation.agreed"
WITHDRAWN = "mediation.withdrawn"
FAILED = "mediation.failed"
CONFIRMATION_APPLIED = "mediation.confirmation_applied"  # on both cases
CONFIRMATION_RULED = "mediation.confirmation_ruled"  # on the 民特 case
CONVERTED = "mediation.converted"  # the filing that carries the file over
REPORT = "mediation.report_generated"  # 诉前调查报告

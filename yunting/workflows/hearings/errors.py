"""Hearing errors: stable codes; messages in English for gettext (Chinese in the .po file).

ApplicationError
├── NotFound: hearing_none
├── PermissionDenied: hearing_court_only, hearing_party_only, hearing_admin_only
├── Conflict: hearing_state, hearing_busy, hearing_vote_closed, hearing_started
└── ValidationFailed: hearing_invalid (data.field names the input)
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def no_hearing() -> NotFound:
    return NotFound(_("No such hearing in this case."), code="hearing_none")


def court_only() -> PermissionDenied:
    return PermissionDenied(_("Only the judge of the case can do this."), code="hearing_court_only")


def parties_only() -> PermissionDenied:
    return PermissionDenied(_("Only a party or a party's lawyer can do this."), code="hearing_party_only")


def admin_only() -> PermissionDenied:
    return PermissionDenied(_("Only the court administrator or the division head can do this."),
                            code="hearing_admin_only")


def wrong_state(state: str) -> Conflict:
    return Conflict(_("The hearing cannot do this in its present state."), code="hearing_state", data={"state": state})


def busy(message: str, **data) -> Conflict:
    return Conflict(message, code="hearing_busy", data=data)


def vote_closed() -> Conflict:
    return Conflict(_("Voting on this hearing's times is closed."), code="hearing_vote_closed")


def started() -> Conflict:
    return Conflict(_("The hearing has started: consent can no longer be changed."), code="hearing_started")


def invalid(message, field: str, **data) -> ValidationFailed:
    return ValidationFailed(message, code="hearing_invalid", data={"field": field, **data})

"""Mediation errors: stable codes; messages in English for gettext (Chinese in the .po file).

ApplicationError
├── NotFound          mediation_not_found
├── PermissionDenied  mediation_not_coordinator · mediation_not_mediator · mediation_not_party · mediation_not_judge
├── Conflict          mediation_wrong_state · mediation_capacity · mediation_signed_already · mediation_sign_order
└── ValidationFailed  mediation_invalid (field-level data)
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def not_found() -> NotFound:
    return NotFound(_("There is no such dispute."), code="mediation_not_found")


def not_coordinator() -> PermissionDenied:
    return PermissionDenied(_("Only the court's mediation coordinators can do this."),
                            code="mediation_not_coordinator")


def not_mediator() -> PermissionDenied:
    return PermissionDenied(_("Only the dispute's mediator can do this."), code="mediation_not_mediator")


def not_party() -> PermissionDenied:
    return PermissionDenied(_("Only a party to the dispute can do this."), code="mediation_not_party")


def not_judge() -> PermissionDenied:
    return PermissionDenied(_("Only a judge of this court can rule on the application."), code="mediation_not_judge")


def wrong_state(state: str) -> Conflict:
    from .models import DisputeState

    label = DisputeState(state).label if state in DisputeState.values else state
    return Conflict(_("The dispute is now “%(state)s”; this cannot be done.") % {"state": label},
                    code="mediation_wrong_state", data={"state": state})


def invalid(message, code: str = "mediation_invalid", **data) -> ValidationFailed:
    return ValidationFailed(message, code=code, data=data)


class DisputeInvalid(ValidationFailed):
    """The dispute was refused; `data["problems"]` lists every [{field, code, message}] (the filing's codes)."""

    def __init__(self, problems: list[dict]):
        from django.utils.translation import ngettext

        message = ngettext("The application has %(count)d problem; correct it and submit again.",
                           "The application has %(count)d problems; correct them and submit again.",
                           len(problems)) % {"count": len(problems)}
        super().__init__(message, code="mediation_invalid", data={"problems": problems})

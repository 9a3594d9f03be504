"""Shared-court errors: stable codes; messages in English for gettext (Chinese in the .po file).

ApplicationError
├── NotFound          sharedcourt_not_found (a point, an attendance or a session you may not see looks the same)
├── PermissionDenied  sharedcourt_not_admin · sharedcourt_not_judge · sharedcourt_not_party · sharedcourt_not_staff
├── Conflict          sharedcourt_wrong_state · sharedcourt_identity_first · sharedcourt_join_first
└── ValidationFailed  sharedcourt_invalid · sharedcourt_id_number · sharedcourt_id_mismatch (field-level data)
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def not_found() -> NotFound:
    return NotFound(_("There is no such shared-court record."), code="sharedcourt_not_found")


def not_admin() -> PermissionDenied:
    return PermissionDenied(_("Only the court's administrators manage service points."), code="sharedcourt_not_admin")


def not_judge() -> PermissionDenied:
    return PermissionDenied(_("Only a judge of the case can decide this."), code="sharedcourt_not_judge")


def not_party() -> PermissionDenied:
    return PermissionDenied(_("Only a party with a seat in this session can apply."), code="sharedcourt_not_party")


def not_staff() -> PermissionDenied:
    return PermissionDenied(_("Only the staff of this service point can do this."), code="sharedcourt_not_staff")


def wrong_state(status: str) -> Conflict:
    from .choices import AttendanceStatus

    label = AttendanceStatus(status).label if status in AttendanceStatus.values else status
    return Conflict(_("The attendance is now “%(status)s”; this cannot be done.") % {"status": label},
                    code="sharedcourt_wrong_state", data={"status": status})


def identity_first() -> Conflict:
    return Conflict(_("Check the party's identity first (ID number and photo)."), code="sharedcourt_identity_first")


def join_first() -> Conflict:
    return Conflict(_("Join the room for the party first."), code="sharedcourt_join_first")


def invalid(message, code: str = "sharedcourt_invalid", **data) -> ValidationFailed:
    return ValidationFailed(message, code=code, data=data)

"""Case space errors: stable codes; messages in English for gettext (Chinese in the .po file)."""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class SpaceNotFound(NotFound):
    default_code = "space_not_found"

    def __init__(self):
        super().__init__(_("The case space does not exist or you are not a member."), code=self.default_code)


class SpaceNotOpened(NotFound):
    """The case has no space yet, or the caller (who takes part in the case) is not in it yet: told only to
    those who take part, so they know a POST opens it; everyone else gets SpaceNotFound."""

    default_code = "space_not_opened"

    def __init__(self):
        super().__init__(_("The case space is not open for you yet: open it first."), code=self.default_code)


def muted(until=None) -> PermissionDenied:
    return PermissionDenied(_("You are muted in this space; what you send reaches no one."), code="muted",
                            data={"until": until.isoformat() if until else None})


def removed(reason: str) -> PermissionDenied:
    return PermissionDenied(_("You were removed from this space by the judge: %(reason)s") % {"reason": reason},
                            code="space_removed", data={"reason": reason})


def moderators_only() -> PermissionDenied:
    return PermissionDenied(_("Only the judge or the judge's assistant can do this."), code="space_moderators_only")


def court_only() -> PermissionDenied:
    return PermissionDenied(_("Only the judge, the judge's assistant or the clerk can do this."),
                            code="space_court_only")


def member_not_found() -> ValidationFailed:
    return ValidationFailed(_("That person is not a member of this space."), code="space_member",
                            data={"field": "user_id"})


def court_side_not_muted() -> ValidationFailed:
    return ValidationFailed(_("The court side cannot be muted or removed."), code="space_member_court",
                            data={"field": "user_id"})


def invalid(message, code: str, **data) -> ValidationFailed:
    return ValidationFailed(message, code=code, data=data)


def already_in_space(number: str) -> Conflict:
    return Conflict(_("Case %(number)s is already in a space.") % {"number": number}, code="space_case_taken",
                    data={"number": number})

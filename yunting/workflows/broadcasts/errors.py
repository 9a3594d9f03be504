"""Broadcast errors: stable codes; English msgids (Chinese in the .po file).

ApplicationError
├── NotFound: broadcast_none
├── PermissionDenied: broadcast_host_only
├── Conflict: broadcast_state, broadcast_rate_limited (429 in the web layer)
└── ValidationFailed: broadcast_invalid, broadcast_cases, thread_sensitive (from the threads word filter)
"""

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def none() -> NotFound:
    return NotFound(_("No such live session."), code="broadcast_none")


def host_only() -> PermissionDenied:
    return PermissionDenied(_("Only the judge running the session can do this."), code="broadcast_host_only")


def state(message) -> Conflict:
    return Conflict(message, code="broadcast_state")


def rate_limited(seconds: int) -> Conflict:
    return Conflict(_("You are asking too fast: try again in %(n)s seconds.") % {"n": seconds},
                    code="broadcast_rate_limited", data={"retry_after": seconds})


def invalid(message, field: str, code: str = "broadcast_invalid", **data) -> ValidationFailed:
    return ValidationFailed(message, code=code, data={"field": field, **data})

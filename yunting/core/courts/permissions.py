"""Who may do what in court administration and assignment (one condition per line)."""

from __future__ import annotations

from yunting.core.people.selectors import holds

from .choices import StaffRole
from .selectors import active_posts


def _posts(user, court_id, roles) -> bool:
    """An active post in that court with one of `roles` (the user's posts: read once per read request)."""
    if court_id is None:
        return False
    roles, court_id = frozenset(roles), int(court_id)
    return any(role in roles and court == court_id for role, _division, court in active_posts(user))


def is_court_admin(user, court_id) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if holds(user, ["court_admin"], organisation_id=court_id):
        return True
    return _posts(user, court_id, [StaffRole.COURT_ADMIN])


def is_president(user, court_id) -> bool:
    return getattr(user, "is_authenticated", False) and _posts(user, court_id, [StaffRole.PRESIDENT])


def heads_division(user, division_id) -> bool:
    division_id = None if division_id is None else int(division_id)
    return getattr(user, "is_authenticated", False) and any(
        role == StaffRole.DIVISION_HEAD and division == division_id for role, division, _court in active_posts(user))


def may_assign_first(user, court_id) -> bool:
    """A first assignment (also by rule, in batches): filing officer, court admin, any division head, president."""
    if not getattr(user, "is_authenticated", False):
        return False
    if holds(user, ["filing_officer", "court_admin"], organisation_id=court_id):
        return True
    return _posts(user, court_id, [StaffRole.FILING_OFFICER, StaffRole.COURT_ADMIN, StaffRole.DIVISION_HEAD,
                                   StaffRole.PRESIDENT])


def may_reassign(user, court_id, division_id) -> bool:
    """Re-assignment away from a judge: only the head of the case's division, or the president."""
    if heads_division(user, division_id):
        return True
    return is_president(user, court_id)

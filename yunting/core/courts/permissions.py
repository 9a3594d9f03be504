"""Who may do what in court administration and assignment (one condition per line)."""

from __future__ import annotations

from yunting.core.people.models import Membership

from .choices import StaffRole
from .models import StaffPost


def _posts(user, court_id, roles) -> bool:
    return StaffPost.objects.filter(user=user, court_id=court_id, role__in=roles, active=True).exists()


def is_court_admin(user, court_id) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if Membership.objects.filter(user=user, organisation_id=court_id, role="court_admin").exists():
        return True
    return _posts(user, court_id, [StaffRole.COURT_ADMIN])


def is_president(user, court_id) -> bool:
    return getattr(user, "is_authenticated", False) and _posts(user, court_id, [StaffRole.PRESIDENT])


def heads_division(user, division_id) -> bool:
    return getattr(user, "is_authenticated", False) and StaffPost.objects.filter(
        user=user, division_id=division_id, role=StaffRole.DIVISION_HEAD, active=True).exists()


def may_assign_first(user, court_id) -> bool:
    """A first assignment (also by rule, in batches): filing officer, court admin, any division head, president."""
    if not getattr(user, "is_authenticated", False):
        return False
    if Membership.objects.filter(user=user, organisation_id=court_id,
                                 role__in=["filing_officer", "court_admin"]).exists():
        return True
    return _posts(user, court_id, [StaffRole.FILING_OFFICER, StaffRole.COURT_ADMIN, StaffRole.DIVISION_HEAD,
                                   StaffRole.PRESIDENT])


def may_reassign(user, court_id, division_id) -> bool:
    """Re-assignment away from a judge: only the head of the case's division, or the president."""
    if heads_division(user, division_id):
        return True
    return is_president(user, court_id)

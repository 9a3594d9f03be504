"""Reads only the API needs that have no core home yet.

They belong in core (people: memberships and court administration; security: the read log scoped to a
court) and can move there unchanged once those selector modules exist.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from yunting.core.cases.models import Case
from yunting.core.people.choices import OrganisationKind, Role
from yunting.core.people.models import Membership
from yunting.kernel.security.models import ReadLog


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation_id", "role")


def courts_administered_by(user) -> QuerySet:
    """Ids of the courts where the user is a court administrator."""
    return Membership.objects.filter(
        user=user, role=Role.COURT_ADMIN, organisation__kind=OrganisationKind.COURT
    ).values("organisation_id")


def is_court_admin(user) -> bool:
    return courts_administered_by(user).exists()


def readlog_for_admin(
    user, *, username: str = "", case_id: int | None = None, action: str = "",
    since: datetime | None = None, until: datetime | None = None,
) -> QuerySet[ReadLog]:
    """The read log a court administrator may audit: reads of their courts' cases, and reads of no case.

    Newest first. `until` is exclusive, `since` inclusive.
    """
    own_cases = Case.objects.filter(court_id__in=courts_administered_by(user)).values("pk")
    qs = ReadLog.objects.filter(Q(case_id__in=own_cases) | Q(case_id__isnull=True))
    if username:
        qs = qs.filter(username=username)
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    if action:
        qs = qs.filter(action=action)
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    return qs.order_by("-at", "-id")

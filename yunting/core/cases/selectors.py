from __future__ import annotations

from django.db.models import QuerySet

from yunting.kernel.search.engine import search_ids

from .access import cases_visible_to
from .models import Case


def case_list_for(user, *, q: str = "", status: str = "", type_code: str = "", year: int | None = None) -> QuerySet[Case]:
    """The caller's visible cases, filtered; `q` matches number, title, cause and party names (Chinese-aware)."""
    qs = cases_visible_to(user).select_related("court", "case_type", "cause")
    if status:
        qs = qs.filter(status=status)
    if type_code:
        qs = qs.filter(case_type_id=type_code)
    if year:
        qs = qs.filter(year=year)
    if q.strip():
        qs = qs.filter(pk__in=search_ids(scope="case", query=q))
    return qs.order_by("-registered_at", "-id")


def case_parties(case: Case):
    return case.parties.order_by("order", "id")


def case_participants(case: Case):
    return case.participations.select_related("user", "party").order_by("role", "id")

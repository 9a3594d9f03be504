from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from yunting.kernel.search.engine import search_ids

from .access import cases_visible_to
from .models import Case


def case_list_for(user, *, q: str = "", status: str = "", type_code: str = "", year: int | None = None,
                  visible: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The caller's visible cases, filtered; `q` matches number, title, cause and party names (Chinese-aware).
    `visible`: cases_visible_to(user) when the caller already built it (it looks up the user's posts)."""
    qs = (cases_visible_to(user) if visible is None else visible).select_related("court", "case_type", "cause")
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


CIVIL_FIRST = ("民初", "民终", "民特", "民督", "民诉前调", "财保", "执", "执保", "执异", "行初", "破", "刑更")


def case_types_civil_first(*, exclude_categories=("criminal",)) -> list:
    """Case types for a filing form: civil first (民初 at the top), as people file them most."""
    from .models import CaseType

    rank = {code: i for i, code in enumerate(CIVIL_FIRST)}
    types = CaseType.objects.exclude(category__in=exclude_categories)
    return sorted(types, key=lambda t: (rank.get(t.code, len(rank)), t.code))


def causes_search(*, q: str = "", case_type=None, limit: int = 30) -> list:
    """Causes that can be chosen under `case_type` (all types when None) whose name contains `q`; names that
    start with `q` first, then in the official list's order. Each carries `path` (its broader causes)."""
    from .causes import CIVIL_LITIGATION_TYPES, PAYMENT_ORDER_CAUSE
    from .models import Cause

    qs = Cause.objects.filter(selectable=True).select_related("parent", "parent__parent", "parent__parent__parent")
    if case_type is not None:
        if case_type.category == "mediation":
            qs = qs.filter(category="civil", non_litigation=False)
        elif case_type.category != "civil":
            qs = qs.filter(category=case_type.category)
        elif case_type.code == "民特":
            qs = qs.filter(category="civil", non_litigation=True)
        elif case_type.code == "民督":
            qs = qs.filter(category="civil").filter(
                models.Q(non_litigation=False) | models.Q(name=PAYMENT_ORDER_CAUSE))
        elif case_type.code in CIVIL_LITIGATION_TYPES:
            qs = qs.filter(category="civil", non_litigation=False)
        else:
            qs = qs.none()
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(name__contains=q)
    found = list(qs.order_by("order", "code")[:500])
    if q:
        found.sort(key=lambda c: (not c.name.startswith(q), c.order == 0, c.order))
    else:  # nothing typed: the causes filed most often (those Yunting had before the list) first
        found.sort(key=lambda c: (not c.code.startswith(("MS-", "BQ-", "ZX-", "XZ-", "PC-", "XS-")), c.order))
    out = found[:limit]
    for c in out:
        parts, node = [], c.parent
        while node is not None and node.level >= 2:
            parts.append(node.name)
            node = node.parent if node.parent_id else None
        c.path = " › ".join(reversed(parts))
    return out

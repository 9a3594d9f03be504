"""Reads of threads, always through a Viewer: an item whose visibility excludes the viewer is absent from every
list and count, and answers 404 by id."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.choices import COURT_CASE_ROLES
from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.models import Participation

from .errors import ItemNotFound
from .models import Item, Notice, ReadMark, Thread


@dataclass(frozen=True)
class Viewer:
    """Who reads a case's threads: the court (sees everything) or the parties a person acts for."""

    user: object
    court: bool
    party_ids: frozenset[int]

    @property
    def party_id(self) -> int | None:
        return min(self.party_ids) if self.party_ids else None


def viewer_in_case(user, case_id) -> Viewer:
    """Viewer of a case for `user`; CaseNotFound when the case is not theirs."""
    access = access_case_for(user, case_id, need=Capability.VIEW_CASE)
    court = access.can(Capability.WRITE_JOURNAL)
    parties = frozenset(Participation.objects.filter(case_id=access.case.pk, user=user, party__isnull=False)
                        .values_list("party_id", flat=True))
    return Viewer(user=user, court=court, party_ids=parties)


def visible_q(viewer: Viewer, prefix: str = "") -> Q:
    if viewer.court:
        return Q()
    p = prefix
    q = Q(**{f"{p}visibility": "all"}) | Q(**{f"{p}author": viewer.user})
    if viewer.party_ids:
        q |= Q(**{f"{p}visibility__in": [f"party:{i}" for i in viewer.party_ids]})
        q |= Q(**{f"{p}author_party_id__in": list(viewer.party_ids)})
    return q


def can_see(viewer: Viewer, item: Item) -> bool:
    if viewer.court or item.visibility == "all" or item.author_id == getattr(viewer.user, "pk", None):
        return True
    if item.author_party_id and item.author_party_id in viewer.party_ids:
        return True
    return item.visibility.startswith("party:") and item.visibility[6:].isdigit() and \
        int(item.visibility[6:]) in viewer.party_ids


def thread_for(case, purpose: str) -> Thread | None:
    return Thread.objects.filter(case=case, purpose=purpose).first()


def items_for(thread: Thread, viewer: Viewer) -> QuerySet[Item]:
    return (Item.objects.filter(thread=thread).filter(visible_q(viewer))
            .select_related("author", "author_party").order_by("seq"))


def item_for(user, item_id) -> tuple[Item, Viewer]:
    """The item and the caller's viewer; ItemNotFound for a missing item, another case's, or a hidden one."""
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        pk = 0
    item = Item.objects.select_related("thread", "author", "author_party").filter(pk=pk).first() if pk > 0 else None
    try:
        viewer = viewer_in_case(user, item.thread.case_id if item else 0)
    except CaseNotFound:
        raise ItemNotFound() from None
    if item is None or not can_see(viewer, item):
        raise ItemNotFound()
    return item, viewer


def unread_counts(user, thread_ids=None) -> dict[int, int]:
    """{thread id: items the user has not read} over the threads of the user's cases, counting only items the
    user may see (court roles see all of their cases' items; a party its own, `all`, and those addressed to it)."""
    parts = Participation.objects.filter(user=user)
    court_cases = parts.filter(role__in=COURT_CASE_ROLES).values("case_id")
    party_ids = list(parts.filter(party__isnull=False).values_list("party_id", flat=True))
    threads = Thread.objects.filter(case_id__in=parts.values("case_id"))
    if thread_ids is not None:
        threads = threads.filter(pk__in=list(thread_ids))
    seen = Subquery(ReadMark.objects.filter(thread=OuterRef("thread_id"), user=user).values("last_seq")[:1])
    q = Q(thread__case_id__in=court_cases) | Q(visibility="all")
    if party_ids:
        q |= Q(visibility__in=[f"party:{i}" for i in party_ids]) | Q(author_party_id__in=party_ids)
    rows = (Item.objects.filter(thread_id__in=threads.values("pk")).exclude(author=user).filter(q)
            .annotate(seen=Coalesce(seen, Value(0))).filter(seq__gt=F("seen"))
            .values("thread_id").annotate(n=Count("id")).values_list("thread_id", "n"))
    return dict(rows)


def notices_for(user, *, unread_only: bool = False):
    qs = Notice.objects.filter(user=user).select_related("thread", "thread__case")
    return qs.filter(read_at__isnull=True) if unread_only else qs

"""Reads of threads, always through a Viewer: an item whose visibility excludes the viewer is absent from every
list and count, and answers 404 by id."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.choices import COURT_CASE_ROLES
from yunting.core.cases.errors import CaseNotFound
from yunting.core.cases.models import Participation

from .errors import ItemNotFound
from .models import Item, Notice, Thread


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
    user may see (court roles see all of their cases' items; a party its own, `all`, and those addressed to it).

    Court side (an assistant steering hundreds of exchanges): every item is visible, so the count is the
    thread's item count above the read mark, less the user's own items there — one row per thread, not per
    item. Party side: one grouped query over the items with the visibility rule, the read mark a LEFT JOIN."""
    court_cases, cases, party_ids = set(), set(), set()
    for case_id, role, party_id in Participation.objects.filter(user=user).values_list("case_id", "role", "party_id"):
        cases.add(case_id)
        if role in COURT_CASE_ROLES:
            court_cases.add(case_id)
        if party_id:
            party_ids.add(party_id)
    wanted = set(thread_ids) if thread_ids is not None else None
    out: dict[int, int] = {}
    if court_cases:
        threads = Thread.objects.filter(case_id__in=sorted(court_cases))
        if wanted is not None:
            threads = threads.filter(pk__in=sorted(wanted))
        seen = {}
        for pk, count, last in (threads.annotate(mark=FilteredRelation("marks", condition=Q(marks__user=user)))
                                .values_list("pk", "item_count", "mark__last_seq")):
            if count > (last or 0):
                out[pk], seen[pk] = count - (last or 0), last or 0
        if out:
            for thread_id, seq in Item.objects.filter(author=user, thread_id__in=sorted(out)).values_list(
                    "thread_id", "seq"):
                if seq > seen[thread_id]:
                    out[thread_id] -= 1
            out = {k: v for k, v in out.items() if v > 0}
    party_cases = cases - court_cases
    if not party_cases:
        return out
    items = Item.objects.filter(thread__case_id__in=sorted(party_cases))
    if wanted is not None:
        items = items.filter(thread_id__in=sorted(wanted))
    q = Q(visibility="all")
    if party_ids:
        q |= Q(visibility__in=[f"party:{i}" for i in sorted(party_ids)]) | Q(author_party_id__in=sorted(party_ids))
    rows = (items.exclude(author=user).filter(q)
            .annotate(mark=FilteredRelation("thread__marks", condition=Q(thread__marks__user=user)))
            .filter(Q(mark__isnull=True) | Q(seq__gt=F("mark__last_seq")))  # the OR keeps the join LEFT OUTER
            .values("thread_id").annotate(n=Count("id")).values_list("thread_id", "n"))
    out.update(rows)
    return out


def notices_for(user, *, unread_only: bool = False):
    qs = Notice.objects.filter(user=user).select_related("thread", "thread__case")
    return qs.filter(read_at__isnull=True) if unread_only else qs

"""The demo's clocks: every kind of deadline state on a few cases, a closure, digests — and nothing twice."""

import pytest

from yunting.core.clocks.demo import clocks_demo
from yunting.core.clocks.models import CourtClosure, Deadline, Digest
from yunting.core.clocks.selectors import deadlines_for, pending_extensions_for, warnings_for
from yunting.core.journal.models import JournalEntry

pytestmark = pytest.mark.django_db


def test_clocks_demo_shows_every_state_once(cast, make_case, head):
    orgs, users = cast
    cases = [head["assign"](make_case(procedure="simple")) for _ in range(8)]
    assert clocks_demo(orgs=orgs, users=users, password="pw-for-tests-123")["created"]
    for c in cases:
        c.refresh_from_db()
    statuses = {d.status for c in cases for d in deadlines_for(c)}
    assert {"overdue", "near", "suspended", "running"} <= statuses
    assert any(d.extension_months for c in cases for d in deadlines_for(c))
    assert len(pending_extensions_for(head["division_head"])) == 1  # simple procedure: the division head decides
    assert [w.deadline.status for w in warnings_for(head["division_head"], scope="led")][:1] == ["overdue"]
    assert CourtClosure.objects.count() == 1 and Digest.objects.filter(user=users["judge"]).exists()
    before = (JournalEntry.objects.count(), Deadline.objects.count())
    assert not clocks_demo(orgs=orgs, users=users, password="pw-for-tests-123")["created"]
    assert (JournalEntry.objects.count(), Deadline.objects.count()) == before

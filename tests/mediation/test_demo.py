"""The mediation demo: a coordinator, mediators in three organisations, one dispute in every state (several between
the demo plaintiff and defendant); a second run adds nothing."""

import pytest

from yunting.core.cases.models import Case
from yunting.core.journal.models import JournalEntry
from yunting.workflows.mediation.demo import MEDIATION_CASES, mediation_demo
from yunting.workflows.mediation.models import Dispute, DisputeState, Mediator
from yunting.workflows.mediation.selectors import dashboard, disputes_visible_to

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_once(cast):
    orgs, users = cast
    cases_before = Case.objects.count()
    mediation_demo(orgs=orgs, users=users, password="pw-for-tests-123")
    assert Case.objects.count() - cases_before == MEDIATION_CASES
    assert sorted(Dispute.objects.values_list("state", flat=True)) == sorted(DisputeState.values)
    assert Mediator.objects.values("organisation").distinct().count() == 3
    mine = set(disputes_visible_to(users["plaintiff"]).values_list("state", flat=True))
    assert {"new", "mediating", "agreed", "confirmed", "withdrawn"} <= mine
    assert set(disputes_visible_to(users["coordinator"]).values_list("state", flat=True)) == set(DisputeState.values)
    board = dashboard(orgs["court"])
    assert board["total"] == 8 and board["resolved"] == 2 and board["ended"] == 5
    snapshot = (Case.objects.count(), JournalEntry.objects.count(), Dispute.objects.count())
    mediation_demo(orgs=orgs, users=users, password="pw-for-tests-123")
    assert (Case.objects.count(), JournalEntry.objects.count(), Dispute.objects.count()) == snapshot

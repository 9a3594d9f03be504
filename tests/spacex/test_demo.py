"""The demo's payout in progress and public outreach session: made once on the demo judge's case, never twice."""

import pytest

from yunting.workflows.broadcasts.models import Broadcast
from yunting.workflows.payouts.models import Payout

pytestmark = pytest.mark.django_db


def test_demo_payout_and_session_are_made_once(cast, scase):
    from yunting.workflows.broadcasts.demo import TITLE, broadcasts_demo
    from yunting.workflows.payouts.demo import payouts_demo

    orgs, users = cast
    assert payouts_demo(orgs=orgs, users=users) == {"payouts": 1}
    assert broadcasts_demo(orgs=orgs, users=users) == {"broadcasts": 1}
    payout = Payout.objects.get()
    share = payout.shares.get()
    assert (payout.status, share.status, share.party_id) == ("open", "confirmed", scase.plaintiff.pk)
    assert share.account_masked.startswith("6222 **** **** ")
    b = Broadcast.objects.get(title=TITLE)
    assert b.public and b.status == "live" and b.cases.filter(case=scase).exists()
    assert b.questions.filter(status="published").count() == 1 and b.questions.filter(status="pending").count() == 1
    assert payouts_demo(orgs=orgs, users=users) == {"payouts": 0}
    assert broadcasts_demo(orgs=orgs, users=users) == {"broadcasts": 0}
    assert Payout.objects.count() == 1 and Broadcast.objects.count() == 1

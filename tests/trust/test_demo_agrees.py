"""The demo's sealed 准许撤诉 ruling goes only into a case still open and undecided, so the case's journal (and
the status derived from it) never holds both a judgment and a withdrawal."""

import pytest

from yunting.core.journal.services import journal_append
from yunting.core.papers.demo import papers_demo
from yunting.core.papers.models import Paper

pytestmark = pytest.mark.django_db


def test_the_withdrawal_ruling_goes_into_an_undecided_case(cast, make_case):
    orgs, users = cast
    decided = make_case(participants=("judge", "clerk"))
    journal_append(case=decided, kind="decision.issued", actor=users["judge"])
    open_case = make_case(participants=("judge", "clerk"))
    assert papers_demo(orgs=orgs, users=users, cases=1) == 1
    assert not Paper.objects.filter(case=decided).exists()
    ruling = Paper.objects.get(case=open_case, template_code="withdrawal_ruling")
    assert ruling.status == "sealed"
    assert open_case.journal.filter(kind="papers.sealed", payload__template="withdrawal_ruling").exists()

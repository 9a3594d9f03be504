"""Fees with the rest of issue 10: the assigned judge's workbench shows the fee state, the judge's unpaid list
follows assignment, and a sealed closing paper's `case.closed` refunds half on withdrawal."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from yunting.core.fees.services import fee_notice_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def login():
    def as_user(user):
        client = Client()
        client.force_login(user)
        return client

    return as_user


def test_the_assigned_judge_sees_the_fee_state_on_the_workbench_and_the_unpaid_list(
        setup_court, login, make_case, users):
    from yunting.core.courts import services as court_services

    ns = setup_court
    case = make_case(participants=("lawyer",))
    fee_notice_issue(case=case, amount="2300.00", issued_on=date(2026, 11, 20))
    judge = ns.judges["li"]
    with time_machine.travel("2026-12-01 10:00 +08:00", tick=False):
        from yunting.core.fees.selectors import overdue_notices_for

        assert overdue_notices_for(judge) is None  # not yet a judge of any case
        court_services.case_assign(case=case, actor=users["filing_officer"], judge=judge.pk, procedure="simple",
                                   reason="指定")
        page = login(judge).get("/court/work/").content.decode()
        assert case.number in page and 'data-fee-state="overdue"' in page
        assert "逾期未交费" in page  # the label, not the code
        assert [n.case_id for n in overdue_notices_for(judge)] == [case.pk]
        assert case.number in login(judge).get("/fees/unpaid/").content.decode()
        # the head of the judge's division oversees it; the other division's head does not
        assert [n.case_id for n in overdue_notices_for(ns.head)] == [case.pk]
        assert 'data-testid="fees-nav"' in login(ns.head).get("/fees/unpaid/").content.decode()
        assert list(overdue_notices_for(ns.head_civil)) == []
        assert overdue_notices_for(users["lawyer"]) is None

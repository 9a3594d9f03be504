"""The lifecycle demo: four divisions, twelve judges with heads and a president, and cases in every state."""

import pytest

from yunting.core.cases.services import case_change_status
from yunting.core.courts.demo import courts_demo
from yunting.core.courts.models import CaseState, Division, StaffPost

pytestmark = pytest.mark.django_db


def test_demo_builds_the_court_and_puts_cases_in_every_state(cast, make_case, users):
    orgs, _ = cast
    with_judge = [make_case() for _ in range(3)]
    without = [make_case(participants=("lawyer",)) for _ in range(7)]
    closed = make_case()
    case_change_status(case=closed, status="closed", actor=users["judge"])
    result = courts_demo(orgs=orgs, users=users, password="pw-for-tests-123")
    assert Division.objects.count() == 4
    assert StaffPost.objects.filter(role="judge", active=True).count() == 12
    assert StaffPost.objects.filter(role="division_head").count() == 3
    assert StaffPost.objects.filter(role="president").count() == 1
    assert all(CaseState.objects.get(case=c).judge == users["judge"] for c in with_judge)
    states = set(CaseState.objects.values_list("status", flat=True))
    assert {"in_trial", "closed"} <= states
    assert CaseState.objects.get(case=closed).outcome == "judgment"
    assert result["unassigned"] == 3 and sum(CaseState.objects.filter(case__in=without).values_list(
        "auto", flat=True)) >= 3
    assert CaseState.objects.filter(procedure="ordinary", case__in=without).exists()  # 简易→普通 shown
    assert CaseState.objects.filter(reason__contains="借调").exists()  # a re-assignment shown
    again = courts_demo(orgs=orgs, users=users, password="pw-for-tests-123")
    assert again["by_rule"] == 0 and again["legacy"] == 0 and Division.objects.count() == 4

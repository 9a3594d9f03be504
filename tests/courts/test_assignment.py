"""Assignment by rule: cause → division, lowest weighted open caseload, absence and recusal skipped, the
reason stored; manual re-assignment only by the division head; status/outcome folded from the journal."""

from datetime import timedelta

import pytest

from yunting.core.cases.access import access_case_for, cases_visible_to
from yunting.core.cases.errors import CaseNotFound
from yunting.core.courts import services as s
from yunting.core.courts.selectors import case_lifecycle, court_counts, workbench_cases
from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import PermissionDenied, ValidationFailed
from yunting.kernel.common.timeutil import shanghai_today

pytestmark = pytest.mark.django_db


def _unassigned(make_case, n=1, **kw):
    return [make_case(participants=(), **kw) for _ in range(n)]


def test_rule_routes_cause_and_picks_lowest_weighted_load(setup_court, make_case, users):
    ns = setup_court
    cases = _unassigned(make_case, 6)
    results = s.cases_assign_auto(case_ids=[c.pk for c in cases], actor=users["filing_officer"])
    assert all(r.assigned for r in results)
    chosen = [r.judge for r in results]
    # three judges of 速裁团队 with equal weight: each gets two, none from 民一庭
    fast = {ns.judges["zhang"].pk, ns.judges["li"].pk, ns.judges["wang"].pk}
    assert set(chosen) == fast and all(chosen.count(j) == 2 for j in fast)
    assert "民间借贷纠纷 → 速裁团队" in results[0].reason and "最低" in results[0].reason
    entry = JournalEntry.objects.get(case=cases[0], kind="case.assigned")
    assert entry.payload["auto"] is True and entry.payload["division_name"] == "速裁团队"
    assert entry.payload["procedure"] == "simple" and entry.payload["panel"] == []
    assert entry.payload["previous_judge"] is None and entry.payload["reason"] == results[0].reason


def test_weight_halves_a_judges_share(setup_court, make_case, users):
    ns = setup_court
    s.staff_post_set(court=ns.court, actor=ns.admin, user=ns.judges["zhang"], role="judge", division=ns.fast,
                     weight="0.5")
    results = s.cases_assign_auto(case_ids=[c.pk for c in _unassigned(make_case, 10)],
                                  actor=users["filing_officer"])
    got = [r.judge for r in results]
    assert got.count(ns.judges["zhang"].pk) == 2  # half of the 4 each full-weight judge gets
    assert got.count(ns.judges["li"].pk) == 4


def test_absent_and_recused_judges_are_skipped(setup_court, make_case, users):
    ns = setup_court
    today = shanghai_today()
    s.absence_add(court=ns.court, actor=ns.admin, user=ns.judges["zhang"], start=today - timedelta(days=1),
                  end=today + timedelta(days=3), reason="年休假")
    s.recusal_add(court=ns.court, actor=ns.admin, user=ns.judges["li"], kind="relative", name="李娜", note="表妹")
    (case,) = _unassigned(make_case, 1)  # defendant 李娜
    (result,) = s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    assert result.judge == ns.judges["wang"].pk
    assert "张法官（年休假）" in result.reason and "李法官（回避：李娜）" in result.reason


def test_unrouted_cause_goes_to_default_division_ordinary_gets_panel(setup_court, make_case, users):
    ns = setup_court
    s.division_update(division=ns.civil, actor=ns.admin, default_procedure="ordinary")
    (case,) = _unassigned(make_case, 1, cause="买卖合同纠纷")
    (result,) = s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    civil = {ns.judges[k].pk for k in ("zhao", "qian", "sun")}
    assert result.judge in civil
    payload = JournalEntry.objects.get(case=case, kind="case.assigned").payload
    assert payload["procedure"] == "ordinary" and len(payload["panel"]) == 3 and set(payload["panel"]) == civil
    assert payload["panel"][0] == result.judge


def test_small_claims_threshold_sets_procedure(setup_court, make_case, users):
    from decimal import Decimal

    ns = setup_court
    s.small_claims_threshold_set(court=ns.court, actor=ns.admin, province="粤", year=shanghai_today().year,
                                 amount="61000")
    small, big = _unassigned(make_case, 1, claim_amount=Decimal("30000")) + _unassigned(
        make_case, 1, claim_amount=Decimal("90000"))
    s.cases_assign_auto(case_ids=[small.pk, big.pk], actor=users["filing_officer"])
    assert case_lifecycle(small).procedure == "small_claims"
    assert case_lifecycle(big).procedure == "simple"


def test_assigned_people_take_part_at_once_and_others_get_404(setup_court, make_case, users):
    ns = setup_court
    (case,) = _unassigned(make_case, 1)
    (result,) = s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    judge = next(u for u in ns.judges.values() if u.pk == result.judge)
    assert access_case_for(judge, case.pk).case == case
    assert access_case_for(users["clerk"], case.pk).case == case  # the division's clerk
    other = next(u for u in ns.judges.values() if u.pk != result.judge and u != users["judge"])
    with pytest.raises(CaseNotFound):
        access_case_for(other, case.pk)
    with pytest.raises(CaseNotFound):  # the head of another division
        access_case_for(ns.head_civil, case.pk)
    assert access_case_for(ns.head, case.pk).case == case  # the head of the case's division
    assert case in cases_visible_to(ns.head)
    assert case not in cases_visible_to(ns.head_civil)


def test_only_the_division_head_reassigns_with_a_reason(setup_court, make_case, users):
    ns = setup_court
    (case,) = _unassigned(make_case, 1)
    (result,) = s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    target = ns.judges["li"] if result.judge != ns.judges["li"].pk else ns.judges["zhang"]
    for who in (users["filing_officer"], users["court_admin"], ns.head_civil, users["judge"]):
        with pytest.raises(PermissionDenied):
            s.case_assign(case=case, actor=who, judge=target.pk, procedure="simple", reason="工作调整")
    with pytest.raises(ValidationFailed):
        s.case_assign(case=case, actor=ns.head, judge=target.pk, procedure="simple", reason=" ")
    payload = s.case_assign(case=case, actor=ns.head, judge=target.pk, procedure="simple", reason="原承办法官调岗")
    assert payload["previous_judge"] == result.judge and payload["auto"] is False
    life = case_lifecycle(case)
    assert life.judge == target.display_name and life.reason == "原承办法官调岗"
    assert JournalEntry.objects.filter(case=case, kind="case.assigned").count() == 2
    assert [r.case_id for r in workbench_cases(judge=target)] == [case.pk]


def test_manual_ordinary_needs_a_panel_of_three(setup_court, make_case, users):
    ns = setup_court
    (case,) = _unassigned(make_case, 1)
    with pytest.raises(ValidationFailed) as exc:
        s.case_assign(case=case, actor=users["filing_officer"], judge=ns.judges["zhao"].pk, procedure="ordinary",
                      reason="案情复杂")
    assert exc.value.code == "panel_size"
    payload = s.case_assign(case=case, actor=users["filing_officer"], judge=ns.judges["zhao"].pk,
                            panel=[ns.judges["qian"].pk, ns.judges["sun"].pk], clerk=users["clerk"].pk,
                            procedure="ordinary", reason="案情复杂")
    assert payload["panel"] == [ns.judges["zhao"].pk, ns.judges["qian"].pk, ns.judges["sun"].pk]
    roles = set(case.participations.values_list("user_id", "role"))
    assert (ns.judges["zhao"].pk, "presiding_judge") in roles and (ns.judges["sun"].pk, "judge") in roles
    assert (users["clerk"].pk, "clerk") in roles


def test_procedure_change_simple_to_ordinary(setup_court, make_case, users):
    ns = setup_court
    (case,) = _unassigned(make_case, 1)
    (result,) = s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    judge = next(u for u in ns.judges.values() if u.pk == result.judge)
    with pytest.raises(PermissionDenied):
        s.case_procedure_change(case=case, actor=ns.head_civil, to="ordinary", reason="案情复杂")
    s.case_procedure_change(case=case, actor=judge, to="ordinary", reason="案情复杂")
    case.refresh_from_db()
    assert case.procedure == "ordinary" and case_lifecycle(case).procedure == "ordinary"
    with pytest.raises(ValidationFailed):  # never back from ordinary to simple
        s.case_procedure_change(case=case, actor=judge, to="simple", reason="x")


def test_status_outcome_closed_on_are_folded_from_entries(setup_court, make_case, users):
    from yunting.core.journal.services import journal_append

    (case,) = _unassigned(make_case, 1)
    assert case_lifecycle(case).status == "registered"
    s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    assert case_lifecycle(case).status == "in_trial"
    journal_append(case=case, kind="case.suspended", payload={"on": "2026-11-20", "reason": "等待鉴定"})
    assert case_lifecycle(case).status == "suspended"
    journal_append(case=case, kind="case.resumed", payload={"on": "2026-11-25"})
    assert case_lifecycle(case).status == "in_trial"
    from datetime import date

    s.case_close(case=case, actor=users["judge"], outcome="withdrawal", closed_on=date(2026, 11, 28), document=None,
                 title="民事裁定书（准许撤诉）")
    life = case_lifecycle(case)
    assert (life.status, life.outcome, life.closed_on) == ("closed", "withdrawal", date(2026, 11, 28))
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    assert court_counts(setup_court.court)["closed_this_month"] in (0, 1)  # depends on today's month


def test_fold_is_pure():
    from datetime import date

    from yunting.core.courts.rules import fold

    on = date(2026, 3, 1)
    state = fold([("case.registered", {}, on), ("case.assigned", {"judge": 7, "procedure": "simple"}, on),
                  ("case.procedure_changed", {"from": "simple", "to": "ordinary"}, on),
                  ("case.closed", {"outcome": "judgment", "closed_on": "2026-05-02"}, on)])
    assert (state.status, state.procedure, state.outcome, state.closed_on) == (
        "closed", "ordinary", "judgment", date(2026, 5, 2))


def test_audit_accepts_assignment_grants(setup_court, make_case, users):
    from yunting.core.journal.facts import facts_audit

    (case,) = _unassigned(make_case, 1)
    s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    assert [p for p in facts_audit() if p.kind == "participation"] == []


def test_already_assigned_reported_not_changed(setup_court, make_case, users):
    (case,) = _unassigned(make_case, 1)
    s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    (again,) = s.cases_assign_auto(case_ids=[case.pk], actor=users["filing_officer"])
    assert not again.assigned and again.code == "already_assigned"
    assert JournalEntry.objects.filter(case=case, kind="case.assigned").count() == 1


def test_a_party_cannot_assign(setup_court, make_case, users):
    (case,) = _unassigned(make_case, 1)
    (r,) = s.cases_assign_auto(case_ids=[case.pk], actor=users["plaintiff"])
    assert not r.assigned and r.code == "not_found"

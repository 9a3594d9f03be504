"""Every scheduling rule, on small weeks whose right answer is known, and on generated weeks checked by the
independent checker. Week of 7 December 2026 (Mon–Fri all working days) unless said otherwise."""

from __future__ import annotations

import copy

import pytest
from django.utils import translation

from yunting.kernel import scheduling
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.scheduling import check_plan, greedy, solve, validate
from yunting.kernel.scheduling.generate import division_week

SLOTS = ["09:00", "10:00", "11:00", "14:00"]


def week(hearings, *, people=None, rooms=None, **extra) -> dict:
    return {"week_start": "2026-12-07", "days": 5, "slots": SLOTS, "planned_on": "2026-12-01",
            "rooms": rooms if rooms is not None else [{"id": "R1", "kind": "physical"}, {"id": "O1", "kind": "online"}],
            "people": people if people is not None else [
                {"id": "J1", "name": "王某", "unavailable": []}, {"id": "J2", "unavailable": []},
                {"id": "C1", "unavailable": []}, {"id": "L1", "unavailable": []}],
            "hearings": hearings, **extra}


def hearing(ident, people=("J1",), *, kind="any", k=1, nb=None, na=None, served="2026-11-20") -> dict:
    return {"id": ident, "people": list(people), "room_kind": kind, "slots_needed": k, "not_before": nb,
            "not_after": na, "served_on": served}


def both(problem: dict) -> list[dict]:
    """Solve with CP-SAT and first-fit; both plans must pass the checker."""
    plans = [solve(problem, time_limit=3), greedy(problem)]
    for plan in plans:
        assert check_plan(problem, plan) == []
    return plans


def placed(plan) -> dict:
    return {p["hearing"]: p for p in plan["placed"]}


def reasons(plan) -> dict:
    return {u["hearing"]: u["reason"] for u in plan["unplaced"]}


def test_public_surface():
    assert scheduling.__all__ == ["NOTICE_DAYS", "SERVICE_DAYS", "check_plan", "greedy", "solve", "validate"]


def test_a_long_hearing_takes_consecutive_slots_of_one_day_in_one_room_never_across_lunch():
    problem = week([hearing("H1", k=3, kind="physical"), hearing("H2", ("J2",), k=2, kind="physical")], days=1)
    for plan in both(problem):
        assert placed(plan)["H1"] == {"hearing": "H1", "date": "2026-12-07", "slot": "09:00", "room": "R1"}
        # 11:00 + 14:00 would run across lunch: H2 has no two slots in a row left
        assert "资源冲突" in reasons(plan)["H2"]
    assert solve(problem)["stats"]["status"] == "OPTIMAL"


def test_a_hearing_longer_than_a_morning_is_refused_with_the_reason():
    for plan in both(week([hearing("H1", k=4)])):
        assert reasons(plan)["H1"] == "需要连续4个时段，每日最多只有连续3个时段"


def test_no_person_is_double_booked_and_the_loser_names_the_rival():
    # one day, one slot left for the judge: only one of two hearings fits
    problem = week([hearing("H1", ("J1", "L1")), hearing("H2", ("J1", "C1"))],
                   people=[{"id": "J1", "name": "王某", "unavailable": ["2026-12-08", "2026-12-09", "2026-12-10",
                                                                      "2026-12-11", "2026-12-07T10:00",
                                                                      "2026-12-07T11:00", "2026-12-07T14:00"]},
                           {"id": "L1", "unavailable": []}, {"id": "C1", "unavailable": []}])
    for plan in both(problem):
        assert len(plan["placed"]) == 1 and plan["placed"][0]["slot"] == "09:00"
        loser = plan["unplaced"][0]
        winner = plan["placed"][0]["hearing"]
        assert loser["reason"].startswith("资源冲突：单独可排") and winner in loser["reason"] and "王某" in loser["reason"]


def test_no_room_is_double_booked():
    # two hearings with different people, one physical room, one working slot in the whole week
    problem = week([hearing("H1", ("J1",), kind="physical"), hearing("H2", ("J2",), kind="physical")],
                   days=1, slots=["09:00"])
    for plan in both(problem):
        assert len(plan["placed"]) == 1
        assert "法庭" in plan["unplaced"][0]["reason"] and "资源冲突" in plan["unplaced"][0]["reason"]


def test_room_kind_is_respected_and_any_takes_either():
    problem = week([hearing("H1", ("J1",), kind="online"), hearing("H2", ("J2",), kind="any"),
                    hearing("H3", ("C1",), kind="any")], days=1, slots=["09:00"])
    for plan in both(problem):
        got = placed(plan)
        assert len(got) == 2 and got["H1"]["room"] == "O1"
        assert {p["room"] for p in plan["placed"]} == {"O1", "R1"}


def test_no_room_of_the_kind():
    problem = week([hearing("H1", kind="online"), hearing("H2", ("J2",), kind="physical")],
                   rooms=[{"id": "R1", "kind": "physical"}])
    for plan in both(problem):
        assert reasons(plan) == {"H1": "本周无合适的网上法庭"}


def test_an_unavailable_date_blocks_the_day_and_a_date_time_blocks_the_slot():
    busy = ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11T09:00"]
    problem = week([hearing("H1", ("J1", "L1"), k=2)],
                   people=[{"id": "J1", "unavailable": busy}, {"id": "L1", "unavailable": []}])
    for plan in both(problem):
        got = placed(plan)["H1"]
        assert (got["date"], got["slot"]) == ("2026-12-11", "10:00")


def test_a_person_away_all_week_is_named():
    away = ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"]
    problem = week([hearing("H1", ("J1", "L1"))],
                   people=[{"id": "J1", "name": "承办法官王某", "unavailable": away}, {"id": "L1", "unavailable": []}])
    for plan in both(problem):
        assert reasons(plan)["H1"] == "承办法官王某在本周可排日期均不可用"


def test_people_free_on_different_slots_have_no_time_in_common():
    problem = week([hearing("H1", ("J1", "L1"))], days=1,
                   people=[{"id": "J1", "unavailable": ["2026-12-07T09:00", "2026-12-07T10:00"]},
                           {"id": "L1", "unavailable": ["2026-12-07T11:00", "2026-12-07T14:00"]}])
    for plan in both(problem):
        assert reasons(plan)["H1"] == "J1、L1本周没有共同空闲的连续1个时段"


def test_national_day_week_skips_the_holiday_and_uses_the_make_up_saturday():
    # 5–7 Oct 2026 are National Day holidays; Saturday 10 Oct is a make-up working day, Sunday 11 is not
    served = "2026-09-18"
    problem = week([hearing("H1", nb="2026-10-10", na="2026-10-11", served=served),
                    hearing("H2", ("J2",), nb="2026-10-05", na="2026-10-07", served=served),
                    hearing("H3", ("C1",), served=served)],
                   week_start="2026-10-05", days=7, planned_on="2026-09-20")
    for plan in both(problem):
        assert plan["stats"]["working_days"] == ["2026-10-08", "2026-10-09", "2026-10-10"]
        assert placed(plan)["H1"]["date"] == "2026-10-10"
        assert placed(plan)["H3"]["date"] == "2026-10-08"  # earliest working day, not the holiday
        assert reasons(plan)["H2"] == "不在期限内：须在10月5日至10月7日之间开庭"


def test_trial_deadline_and_not_before_bound_the_date():
    problem = week([hearing("H1", nb="2026-12-09", na="2026-12-10"), hearing("H2", ("J2",), na="2026-12-04")])
    for plan in both(problem):
        assert placed(plan)["H1"]["date"] == "2026-12-09"
        assert reasons(plan)["H2"] == "不在期限内：须在不限至12月4日之间开庭"


@pytest.mark.parametrize(("served", "earliest"), [
    ("2026-12-04", "2026-12-07"),  # Fri → Mon: 5, 6, 7 December are the three days
    ("2026-12-05", "2026-12-08"),
    ("2026-12-08", "2026-12-11"),
])
def test_summons_served_at_least_three_days_before(served, earliest):
    for plan in both(week([hearing("H1", served=served)])):
        assert placed(plan)["H1"]["date"] == earliest


def test_summons_too_late_says_the_earliest_date():
    for plan in both(week([hearing("H1", served="2026-12-09", na="2026-12-11")])):
        assert reasons(plan)["H1"] == "送达未满3日：最早可排在12月14日"


@pytest.mark.parametrize(("planned_on", "earliest"), [
    ("2026-12-01", "2026-12-07"),
    ("2026-12-03", "2026-12-07"),  # served the 4th (one day of e-service), notice runs 5, 6, 7
    ("2026-12-04", "2026-12-08"),
    ("2026-12-07", "2026-12-11"),
])
def test_summons_not_served_yet_counts_service_then_notice(planned_on, earliest):
    problem = week([hearing("H1", served=None)], planned_on=planned_on)
    for plan in both(problem):
        assert placed(plan)["H1"]["date"] == earliest
    # the keyword wins over the problem's key, so the app and the CLI plan the same day the same way
    assert placed(solve(week([hearing("H1", served=None)]), planned_on=__import__("datetime").date.fromisoformat(
        planned_on)))["H1"]["date"] == earliest


def test_summons_not_served_and_week_too_soon():
    problem = week([hearing("H1", served=None)], planned_on="2026-12-09")
    for plan in both(problem):
        assert reasons(plan)["H1"] == "传票尚未送达（送达约需1日，另需提前3日通知）：最早可排在12月14日"


def test_nothing_is_planned_before_the_day_of_planning():
    problem = week([hearing("H1", na="2026-12-08")], planned_on="2026-12-09")
    for plan in both(problem):
        assert reasons(plan)["H1"] == "本周可开庭的日期均早于排期日（12月9日）"


def test_reasons_follow_the_english_interface():
    problem = week([hearing("H1", kind="online"), hearing("H2", ("J2",), served="2026-12-09", na="2026-12-11")],
                   rooms=[{"id": "R1", "kind": "physical"}])
    with translation.override("en"):
        plan = greedy(problem)
    assert reasons(plan) == {"H1": "No online courtroom this week",
                             "H2": "Summons served less than 3 days before: the earliest date is Dec 14"}


def test_cp_sat_prefers_more_hearings_and_earlier_dates():
    # one day, one room, 4 slots: a 4-slot hearing (deadline first for first-fit) or three short ones
    problem = week([hearing("BIG", ("J1",), k=4, na="2026-12-07", kind="physical"),
                    hearing("S1", ("J2",), kind="physical"), hearing("S2", ("C1",), kind="physical"),
                    hearing("S3", ("L1",), kind="physical")], days=1, rooms=[{"id": "R1", "kind": "physical"}],
                   slots=["09:00", "10:00", "11:00", "12:00"])
    plan = solve(problem)
    assert check_plan(problem, plan) == []
    assert sorted(placed(plan)) == ["S1", "S2", "S3"]
    assert plan["stats"]["status"] == "OPTIMAL" and plan["stats"]["optimality_gap"] == 0
    assert sorted(p["slot"] for p in plan["placed"]) == ["09:00", "10:00", "11:00"]  # earliest slots first
    assert sorted(placed(greedy(problem))) == ["BIG"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_weeks_pass_the_checker_and_cp_sat_never_places_fewer(seed):
    problem = division_week(seed=seed, judges=6, rooms=3, hearings=80, slots=8)
    fast, best = greedy(problem), solve(problem, time_limit=3)
    assert check_plan(problem, fast) == [] and check_plan(problem, best) == []
    assert best["stats"]["placed"] >= fast["stats"]["placed"]
    assert len(best["placed"]) + len(best["unplaced"]) == 80
    assert all(u["reason"] for u in best["unplaced"])


def test_the_checker_catches_a_hand_made_bad_plan():
    problem = week([hearing("H1", ("J1", "L1"), kind="online", served="2026-12-05"),
                    hearing("H2", ("J1",), k=2), hearing("H3", ("J2",)), hearing("H4", ("C1",)),
                    hearing("H5", ("C1",), k=2)],
                   people=[{"id": "J1", "unavailable": []}, {"id": "J2", "unavailable": []},
                           {"id": "C1", "unavailable": []}, {"id": "L1", "unavailable": ["2026-12-07T09:00"]}])
    bad = {"placed": [
        {"hearing": "H1", "date": "2026-12-07", "slot": "09:00", "room": "R1"},  # wrong kind, notice, L1 away
        {"hearing": "H2", "date": "2026-12-07", "slot": "09:00", "room": "O1"},  # J1 twice
        {"hearing": "H3", "date": "2026-12-12", "slot": "14:00", "room": "O1"},  # Saturday, outside the week
        {"hearing": "H3", "date": "2026-12-08", "slot": "09:00", "room": "O1"},  # placed twice
        {"hearing": "H5", "date": "2026-12-09", "slot": "11:00", "room": "R1"},  # across lunch
    ], "unplaced": []}
    errors = "\n".join(check_plan(problem, bad))
    for expected in ("法庭 R1 是 physical，庭审需要 online", "送达（2026-12-05）至开庭不足 3 日", "L1 在 2026-12-07 09:00 不可用",
                     "J1 在 2026-12-07 09:00 已参加 H1", "2026-12-12 不是工作日", "不在本周",
                     "同一庭审被排了两次", "H4：既未排入也未说明原因", "从 11:00 起的连续 2 个时段跨越了休息时间"):
        assert expected in errors
    good = solve(problem)
    assert check_plan(problem, good) == []


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p["hearings"][0]["people"].append("X9"), "hearings[0].people[1]：未知的参与人编号：X9"),
    (lambda p: p.update(week_start="2026-12-32"), "week_start：不是有效日期 YYYY-MM-DD：2026-12-32"),
    (lambda p: p["hearings"][0].update(slots_needed=0), "hearings[0].slots_needed：须为不小于 1 的整数"),
    (lambda p: p["hearings"][0].update(room_kind="video"), "hearings[0].room_kind：须为 physical"),
    (lambda p: p["hearings"][0].update(not_before="2026-12-10", not_after="2026-12-09"),
     "hearings[0].not_after：早于 not_before"),
    (lambda p: p["people"][0].update(unavailable=["2026-12-07T09:30"]),
     "people[0].unavailable[0]：09:30 不是时段表中的时段"),
    (lambda p: p["hearings"].append(dict(p["hearings"][0])), "hearings[1].id：庭审编号重复：H1"),
    (lambda p: p.update(slots=["10:00", "09:00"]), "slots[1]：时段须按时间先后排列"),
    (lambda p: p.update(days=0), "days：须为 1 至 31 的整数天数"),
    (lambda p: p["rooms"][0].update(kind="hall"), "rooms[0].kind：须为 physical"),
    (lambda p: p["hearings"][0].update(served_on="7/12/2026"), "hearings[0].served_on：不是有效日期"),
])
def test_bad_input_names_the_field(change, message):
    problem = copy.deepcopy(week([hearing("H1")]))
    change(problem)
    for call in (validate, solve, greedy):
        with pytest.raises(ValidationFailed) as caught:
            call(problem)
        assert str(caught.value.message).startswith(message)
        assert caught.value.data["field"] == message.split("：")[0]


def test_bad_input_in_english():
    problem = week([hearing("H1", ("J1", "X9"))])
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        validate(problem)
    assert caught.value.message == "hearings[0].people[1]：unknown person id X9"


def test_any_hearings_when_the_court_has_rooms_of_one_kind_only():
    problem = week([hearing(f"H{i}", (f"P{i}",), kind="any") for i in range(6)],
                   people=[{"id": f"P{i}", "unavailable": []} for i in range(6)],
                   rooms=[{"id": "R1", "kind": "physical"}, {"id": "R2", "kind": "physical"}], days=1, slots=SLOTS[:2])
    for plan in both(problem):
        assert len(plan["placed"]) == 4 and {p["room"] for p in plan["placed"]} == {"R1", "R2"}

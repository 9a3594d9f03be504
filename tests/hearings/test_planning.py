"""Planning from the database: what the scheduler is told and what it proposes."""

from datetime import date

import pytest

from yunting.kernel.common.errors import Conflict, ValidationFailed
from yunting.workflows.hearings import planning
from yunting.workflows.hearings.models import Unavailability

pytestmark = pytest.mark.django_db


def _requested(act, case, **kw):
    return act(case, "judge", "hearing_request", **kw)


def test_proposals_skip_holidays_respect_notice_and_land_on_three_different_days(act, hcase, rooms):
    hearing = _requested(act, hcase)
    act(hcase, "judge", "hearing_propose", hearing=hearing)
    days = sorted({o.date for o in hearing.options.all()})
    # planned on Mon 27 Apr: service takes a day, then 3 days' notice → 1 May at the earliest, but 1–5 May are
    # the Labour Day holiday; so Wed 6, Thu 7, Fri 8 May
    assert days == [date(2026, 5, 6), date(2026, 5, 7), date(2026, 5, 8)]
    hearing.refresh_from_db()
    assert hearing.state == "voting"


def test_a_judges_day_off_moves_the_proposals_even_onto_a_make_up_saturday(act, hcase, rooms, users, court):
    from yunting.workflows.hearings.services import unavailability_add

    unavailability_add(actor=users["judge"], court=court, day="2026-05-06", reason="出差")
    hearing = _requested(act, hcase)
    act(hcase, "judge", "hearing_propose", hearing=hearing)
    assert sorted(o.date for o in hearing.options.all()) == [date(2026, 5, 7), date(2026, 5, 8), date(2026, 5, 9)]


def test_lawyer_unavailability_counts_across_all_their_cases(act, hcase, rooms, users, court, make_case):
    from yunting.workflows.hearings.services import unavailability_add

    # entered once by the lawyer; a hearing of another case of the same lawyer avoids the day too
    unavailability_add(actor=users["lawyer"], court=court, day="2026-05-06", slot="", reason="另案开庭")
    other = make_case(participants=("judge", "clerk", "lawyer"), defendant_name="王五")
    hearing = _requested(act, other)
    problem = planning.build_problem([hearing], week_start=date(2026, 5, 4), days=7)
    lawyer = next(p for p in problem["people"] if p["id"] == planning.person_id(users["lawyer"].pk))
    assert "2026-05-06" in lawyer["unavailable"]
    act(other, "judge", "hearing_propose", hearing=hearing)
    assert date(2026, 5, 6) not in {o.date for o in hearing.options.all()}


def test_problem_carries_people_rooms_and_the_trial_deadline(act, hcase, rooms, users):
    hearing = _requested(act, hcase)
    problem = planning.build_problem([hearing], week_start=date(2026, 5, 4), days=7)
    (item,) = problem["hearings"]
    ids = set(item["people"])
    for who in ("judge", "clerk", "lawyer", "plaintiff", "defendant"):
        assert planning.person_id(users[who].pk) in ids
    assert item["served_on"] is None and item["slots_needed"] == 4
    assert item["not_after"] == planning.trial_deadline(hcase).isoformat()
    assert {r["kind"] for r in problem["rooms"]} == {"physical", "online"}


def test_confirmed_hearings_block_people_and_rooms(act, hcase, rooms, consent_all, make_case):
    first = _requested(act, hcase)
    consent_all(hcase, first)
    act(hcase, "judge", "hearing_confirm", hearing=first, day="2026-05-07", slot="09:00", reason="法官指定",
        courtroom_id=rooms["online"].pk)
    other = make_case(participants=("judge", "clerk"), defendant_name="王五")
    second = _requested(act, other)
    problem = planning.build_problem([second], week_start=date(2026, 5, 4), days=7)
    judge = next(p for p in problem["people"] if p["id"] in problem["hearings"][0]["people"]
                 and "2026-05-07T09:00" in p["unavailable"])
    assert {"2026-05-07T09:00", "2026-05-07T10:30"} <= set(judge["unavailable"])
    # the judge cannot sit twice at once: refused, nothing changed
    with pytest.raises(Conflict):
        act(other, "judge", "hearing_confirm", hearing=second, day="2026-05-07", slot="10:00", reason="试排")
    second.refresh_from_db()
    assert second.state == "requested" and second.date is None


def test_confirming_too_soon_or_on_a_holiday_is_refused(act, hcase, rooms, consent_all):
    hearing = _requested(act, hcase)
    consent_all(hcase, hearing)
    with pytest.raises(ValidationFailed) as soon:
        act(hcase, "judge", "hearing_confirm", hearing=hearing, day="2026-04-29", slot="09:00", reason="急")
    assert soon.value.data["field"] == "date"
    with pytest.raises(ValidationFailed):
        act(hcase, "judge", "hearing_confirm", hearing=hearing, day="2026-05-04", slot="09:00", reason="节假日")
    assert not hearing.changes.exists()


def test_week_plan_for_a_division_places_and_explains(act, hcase, rooms, users, court, make_case, consent_all):
    from yunting.core.courts.models import CaseState, Division
    from yunting.workflows.hearings import services

    division = Division.objects.filter(court=court).first() or Division.objects.create(court=court, name="民一庭")
    cases = [hcase, make_case(participants=("judge", "clerk"), defendant_name="王五")]
    for c in cases:
        CaseState.objects.update_or_create(case=c, defaults={"court": court, "division": division})
        h = _requested(act, c)
        act(c, "plaintiff", "hearing_consent", hearing=h, action="consent")
    run = services.plan_run_start(actor=users["court_admin"], division=division, week_start="2026-05-04")
    run = services.plan_run_execute(run.pk)
    assert run.status == "done"
    placed = run.plan["placed"]
    assert len(placed) + len(run.plan["unplaced"]) == 2
    # the same judge: never at the same time
    spans = {(p["date"], s) for p in placed for s in planning.taken_slots(p["slot"], 4)}
    assert len(spans) == 4 * len(placed)
    assert all(p["date"] >= "2026-05-06" for p in placed)
    result = services.plan_run_apply(actor=users["court_admin"], run=run)
    assert len(result["confirmed"]) == len(placed), result["failed"]


def test_only_an_admin_or_division_head_plans_a_week(users, court):
    from yunting.core.courts.models import Division
    from yunting.kernel.common.errors import PermissionDenied
    from yunting.workflows.hearings import services

    division = Division.objects.filter(court=court).first() or Division.objects.create(court=court, name="民一庭")
    with pytest.raises(PermissionDenied):
        services.plan_run_start(actor=users["lawyer"], division=division, week_start="2026-05-04")


def test_unavailability_rules(users, court):
    from yunting.workflows.hearings.services import unavailability_add

    with pytest.raises(ValidationFailed):
        unavailability_add(actor=users["lawyer"], court=court, day="2026-04-01")
    with pytest.raises(ValidationFailed):
        unavailability_add(actor=users["lawyer"], court=court, day="2026-05-06", slot="08:10")
    row = unavailability_add(actor=users["judge"], court=court, day="2026-05-06", slot="09:00")
    assert Unavailability.objects.filter(pk=row.pk, user=users["judge"]).exists()

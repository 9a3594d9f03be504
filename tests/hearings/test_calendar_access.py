"""The court's week calendar and the week plan name a case only to those who may see it: a secret case's hearing
is an anonymous booked slot to the rest of the court's staff, so rooms can still be planned around it."""

from __future__ import annotations

import pytest

RESTRICTED = "已排期（不公开）"


@pytest.fixture
def booked(make_case, rooms, acc, users):
    """A secret case and an ordinary one, each with a hearing confirmed on Monday 11 May 2026, the judge's."""
    from yunting.workflows.hearings import services

    def confirm(case, slot, room):
        hearing = services.hearing_request(access=acc(case, "judge"), actor=users["judge"])
        services.hearing_consent(access=acc(case, "plaintiff"), actor=users["plaintiff"], hearing=hearing,
                                 action="consent")
        return services.hearing_confirm(access=acc(case, "judge"), actor=users["judge"], hearing=hearing,
                                        day="2026-05-11", slot=slot, courtroom_id=room.pk, reason="当庭指定")

    secret = make_case(participants=("judge", "clerk"), defendant_name="秦密", security_level="secret")
    ordinary = make_case(participants=("judge", "clerk"), defendant_name="王五")
    return {"secret": secret, "ordinary": ordinary, "secret_hearing": confirm(secret, "09:00", rooms["first"]),
            "ordinary_hearing": confirm(ordinary, "14:00", rooms["second"])}


def _week(client, user, by="courtroom") -> str:
    client.force_login(user)
    r = client.get(f"/hearings/calendar/?week=2026-05-11&by={by}")
    assert r.status_code == 200
    return r.content.decode()


@pytest.mark.parametrize("by", ["courtroom", "judge"])
def test_staff_outside_a_secret_case_see_only_that_the_slot_is_booked(client, booked, users, by):
    secret = booked["secret"]
    page = _week(client, users["court_admin"], by)  # reaches every non-secret case of the court, not this one
    assert secret.number not in page and secret.title not in page and "秦密" not in page
    assert f"/hearings/cases/{secret.pk}/" not in page
    assert page.count(RESTRICTED) == 1  # the room is still shown as taken that morning
    assert booked["ordinary"].number in page and f"/hearings/cases/{booked['ordinary'].pk}/" in page


def test_staff_who_take_part_see_the_secret_case_as_before(client, booked, users):
    page = _week(client, users["judge"])
    for case in (booked["secret"], booked["ordinary"]):
        assert case.number in page and f"/hearings/cases/{case.pk}/#h" in page
    assert RESTRICTED not in page


def test_a_post_that_reaches_neither_case_names_neither(client, booked, users):
    page = _week(client, users["assistant"])
    assert booked["secret"].number not in page and booked["ordinary"].number not in page
    assert page.count(RESTRICTED) == 2


def test_only_the_named_cases_are_logged_as_read(client, booked, users):
    from yunting.kernel.security.models import ReadLog

    _week(client, users["court_admin"])
    logged = set(ReadLog.objects.filter(user_id=users["court_admin"].pk, action="hearings.calendar")
                 .values_list("case_id", flat=True))
    assert logged == {booked["ordinary"].pk}


def test_the_week_plan_does_not_name_a_secret_case_to_the_planner(client, make_case, users, court, acc):
    from yunting.core.courts.models import CaseState, Division
    from yunting.workflows.hearings import services

    division = Division.objects.filter(court=court).first() or Division.objects.create(court=court, name="民一庭")
    secret = make_case(participants=("judge", "clerk"), defendant_name="秦密", security_level="secret")
    ordinary = make_case(participants=("judge", "clerk"), defendant_name="王五")
    for case in (secret, ordinary):
        CaseState.objects.update_or_create(case=case, defaults={"court": court, "division": division})
        hearing = services.hearing_request(access=acc(case, "judge"), actor=users["judge"])
        services.hearing_consent(access=acc(case, "plaintiff"), actor=users["plaintiff"], hearing=hearing,
                                 action="consent")
    run = services.plan_run_execute(services.plan_run_start(actor=users["court_admin"], division=division,
                                                            week_start="2026-05-11").pk)
    assert run.status == "done"
    client.force_login(users["court_admin"])
    page = client.get(f"/hearings/plan/{run.pk}/").content.decode()
    assert secret.number not in page and "案件不公开" in page
    assert ordinary.number in page

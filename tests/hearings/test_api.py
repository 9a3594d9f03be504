"""The hearings API and pages: shapes, access by case and role, read log."""

import pytest

from yunting.kernel.security.models import ReadLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(act, hcase, rooms, consent_all):
    hearing = act(hcase, "judge", "hearing_request")
    consent_all(hcase, hearing)
    act(hcase, "judge", "hearing_propose", hearing=hearing)
    return hearing


@pytest.fixture
def outsider_lawyer(make_case, users):
    """A lawyer of another case of the same court: sees nothing of this one."""
    from yunting.core.cases.services import case_add_participant
    from yunting.core.people.models import User

    other = make_case(participants=("judge",), defendant_name="王五")
    lawyer = User.objects.create_user(username="lawyer2", password="pw-for-tests-123", real_name="钱多多",
                                      phone="13800138099")
    case_add_participant(case=other, user=lawyer, role="lawyer", party=other.parties.get(role="defendant"))
    return lawyer


def test_list_and_detail_shapes(bearer, hcase, voting):
    body = bearer("plaintiff").get(f"/api/v1/cases/{hcase.pk}/hearings").json()
    (item,) = body["items"]
    assert {"id", "stage_kind", "form", "state", "date", "slot", "courtroom", "consents", "options", "history",
            "live_stage", "vote_deadline"} <= set(item)
    assert item["state"] == "voting" and len(item["options"]) == 3
    assert "votes" not in item["options"][0] and "override_reason" not in item  # court-only detail
    detail = bearer("judge").get(f"/api/v1/cases/{hcase.pk}/hearings/{voting.pk}").json()
    assert "votes" in detail["options"][0]
    assert ReadLog.objects.filter(case_id=hcase.pk, action="hearing.view").exists()


def test_vote_and_confirm_through_the_api(bearer, hcase, voting):
    options = bearer("judge").get(f"/api/v1/cases/{hcase.pk}/hearings/{voting.pk}").json()["options"]
    answers = {str(o["id"]): o["number"] == 2 for o in options}
    r = bearer("lawyer").post(f"/api/v1/cases/{hcase.pk}/hearings/{voting.pk}/vote", {"answers": answers},
                              content_type="application/json")
    assert r.status_code == 200, r.content
    assert [o["mine"] for o in r.json()["options"]] == [False, True, False]
    r = bearer("judge").post(f"/api/v1/cases/{hcase.pk}/hearings/{voting.pk}/confirm", {"option": options[1]["id"]},
                             content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "confirmed" and r.json()["date"] == options[1]["date"]


def test_errors_are_specific_and_change_nothing(bearer, hcase, voting):
    r = bearer("judge").post(f"/api/v1/cases/{hcase.pk}/hearings/{voting.pk}/confirm", {"date": "2026-05-04",
                             "slot": "09:00", "reason": "试"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "hearing_invalid" and r.json()["data"]["field"] == "date"
    r = bearer("plaintiff").post(f"/api/v1/cases/{hcase.pk}/hearings/{voting.pk}/confirm", {"option": 1},
                                 content_type="application/json")
    assert r.status_code == 403
    voting.refresh_from_db()
    assert voting.state == "voting"


def test_another_cases_lawyer_sees_nothing(client, hcase, voting, outsider_lawyer):
    from django.test import Client

    from yunting.interfaces.api.models import ApiToken

    _, raw = ApiToken.issue(user=outsider_lawyer, name="t")
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    assert c.get(f"/api/v1/cases/{hcase.pk}/hearings").status_code == 404
    assert c.get(f"/api/v1/cases/{hcase.pk}/hearings/{voting.pk}").status_code == 404
    assert c.post(f"/api/v1/cases/{hcase.pk}/hearings/{voting.pk}/vote", {"answers": {}},
                  content_type="application/json").status_code == 404
    assert c.get("/api/v1/hearings/mine").json()["items"] == []
    client.force_login(outsider_lawyer)
    assert client.get(f"/hearings/cases/{hcase.pk}/").status_code == 404


def test_a_hearing_id_of_another_case_answers_like_none(bearer, hcase, voting, make_case, act):
    other = make_case(participants=("judge", "clerk", "lawyer"), defendant_name="王五")
    r = bearer("judge").get(f"/api/v1/cases/{other.pk}/hearings/{voting.pk}")
    assert r.status_code == 404 and r.json()["code"] == "hearing_none"


def test_mine_lists_what_to_answer(bearer, hcase, voting):
    (item,) = bearer("defendant").get("/api/v1/hearings/mine").json()["items"]
    assert item["to_vote"] is True and item["to_consent"] is False and item["case_number"] == hcase.number


def test_pages_for_party_and_judge(client, hcase, voting, users):
    client.force_login(users["defendant"])
    page = client.get(f"/hearings/cases/{hcase.pk}/").content.decode()
    assert 'data-testid="vote-form"' in page and 'data-testid="stage-form"' not in page
    assert client.get("/hearings/").status_code == 200
    assert client.get("/hearings/unavailable/").status_code == 200
    r = client.post("/hearings/unavailable/", {"date": "2026-05-20", "slot": "", "reason": "出差"})
    assert r.status_code == 302
    assert users["defendant"].hearing_unavailability.filter(date="2026-05-20").exists()
    assert client.get("/hearings/calendar/").status_code == 404  # no court post
    client.force_login(users["judge"])
    page = client.get(f"/hearings/cases/{hcase.pk}/").content.decode()
    assert 'data-testid="propose"' in page
    options = list(voting.options.order_by("number"))
    r = client.post(f"/hearings/cases/{hcase.pk}/act/", {"op": "confirm", "hearing": voting.pk, "option": options[0].pk})
    assert r.status_code == 302
    voting.refresh_from_db()
    assert voting.state == "confirmed"
    cal = client.get("/hearings/calendar/?week=2026-05-04")
    assert cal.status_code == 200 and hcase.number in cal.content.decode()
    client.force_login(users["court_admin"])
    assert client.get("/hearings/courtrooms/").status_code == 200
    assert client.get("/hearings/plan/").status_code == 200

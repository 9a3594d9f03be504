"""GET /api/v1/cases/{id}/space and POST /api/v1/spaces/{id}/mute|unmute: members only (404 for everyone else,
the same answer as a missing space); muting for the judge or assistant (403 for other members)."""

import pytest

from yunting.kernel.security.models import ReadLog
from yunting.workflows.casespace.models import Member

pytestmark = pytest.mark.django_db


def test_members_see_the_space_and_its_members(space, space_case, users, bearer):
    res = bearer("plaintiff").get(f"/api/v1/cases/{space_case.pk}/space")
    assert res.status_code == 200, res.content
    body = res.json()
    assert (body["id"], body["case_id"]) == (space.pk, space_case.pk)
    assert {m["user_id"]: m["role"] for m in body["members"]}[users["defendant"].pk] == "party"
    assert set(body["members"][0]) == {"user_id", "name", "role", "muted"}
    assert body["members"][0]["role"] == "judge"
    assert ReadLog.objects.filter(user_id=users["plaintiff"].pk, action="casespace.view", channel="api").exists()


def test_the_space_is_opened_on_demand_by_someone_in_the_case(space_case, bearer):
    res = bearer("defendant").get(f"/api/v1/cases/{space_case.pk}/space")
    assert res.status_code == 200 and len(res.json()["members"]) == 6


def test_everyone_else_gets_the_same_404(space, space_case, bearer, make_case):
    other = make_case()  # the lawyer and judge take part there, not the defendant
    missing = bearer("plaintiff").get("/api/v1/cases/999999999/space")
    assert missing.status_code == 404
    for who, case_id in [("court_admin", space_case.pk), ("filing_officer", space_case.pk),
                         ("defendant", other.pk), ("plaintiff", "abc"), ("mediator", space_case.pk)]:
        res = bearer(who).get(f"/api/v1/cases/{case_id}/space")
        assert res.status_code == 404, (who, res.content)
        assert res.json() == missing.json()


def test_mute_and_unmute(space, space_case, users, bearer):
    judge = bearer("judge")
    res = judge.post(f"/api/v1/spaces/{space.pk}/mute", {"user_id": users["defendant"].pk, "minutes": 15,
                                                         "reason": "多次刷屏"}, content_type="application/json")
    assert res.status_code == 200 and res.json()["muted"] is True, res.content
    members = bearer("defendant").get(f"/api/v1/cases/{space_case.pk}/space").json()["members"]
    assert {m["user_id"]: m["muted"] for m in members}[users["defendant"].pk] is True
    res = bearer("assistant").post(f"/api/v1/spaces/{space.pk}/unmute", {"user_id": users["defendant"].pk},
                                   content_type="application/json")
    assert res.status_code == 200 and res.json()["muted"] is False
    assert Member.objects.get(space=space, user=users["defendant"]).muted_until is None


def test_mute_refusals(space, users, bearer):
    body = {"user_id": users["defendant"].pk, "minutes": 15, "reason": "x"}
    res = bearer("plaintiff").post(f"/api/v1/spaces/{space.pk}/mute", body, content_type="application/json")
    assert res.status_code == 403 and res.json()["code"] == "space_moderators_only"
    missing = bearer("court_admin").post("/api/v1/spaces/999999/mute", body, content_type="application/json")
    res = bearer("court_admin").post(f"/api/v1/spaces/{space.pk}/mute", body, content_type="application/json")
    assert res.status_code == missing.status_code == 404 and res.json() == missing.json()
    res = bearer("judge").post(f"/api/v1/spaces/{space.pk}/mute", {**body, "minutes": 0},
                               content_type="application/json")
    assert res.status_code == 400 and res.json()["code"] == "space_minutes"
    assert not Member.objects.filter(space=space, muted_until__isnull=False).exists()

"""GET and POST /api/v1/cases/{id}/space (read; open) and POST /api/v1/spaces/{id}/mute|unmute: members only (404 for everyone else,
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


def test_a_get_opens_nothing_a_post_opens_the_space(space_case, bearer, users):
    from yunting.core.journal.models import JournalEntry
    from yunting.workflows.casespace.models import Space

    entries = JournalEntry.objects.filter(case=space_case).count()
    res = bearer("defendant").get(f"/api/v1/cases/{space_case.pk}/space")
    assert res.status_code == 404 and res.json()["code"] == "space_not_opened", res.content
    assert not Space.objects.exists() and JournalEntry.objects.filter(case=space_case).count() == entries
    res = bearer("defendant").post(f"/api/v1/cases/{space_case.pk}/space")
    assert res.status_code == 200 and len(res.json()["members"]) == 6, res.content
    assert JournalEntry.objects.filter(case=space_case, kind="casespace.opened").count() == 1
    again = bearer("plaintiff").post(f"/api/v1/cases/{space_case.pk}/space")  # opened once; the same space
    assert again.json()["id"] == res.json()["id"] and Space.objects.count() == 1
    assert bearer("defendant").get(f"/api/v1/cases/{space_case.pk}/space").json() == res.json()


def test_a_newcomer_to_the_case_joins_with_a_post_not_a_get(space, space_case, bearer, make_case):
    """The defendant's new lawyer, added to the case before the journal's subscriber ran: the GET tells them to
    open the space and writes nothing; the POST adds them."""
    from django.test import Client

    from yunting.core.cases.services import case_add_participant
    from yunting.core.people.models import User
    from yunting.interfaces.api.models import ApiToken

    newcomer = User.objects.create_user(username="new_agent", password="pw-for-tests-123", real_name="冯律师")
    case_add_participant(case=space_case, user=newcomer, role="lawyer", party=space_case.parties.get(role="defendant"))
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user=newcomer, name='t')[1]}"})
    res = api.get(f"/api/v1/cases/{space_case.pk}/space")
    assert res.status_code == 404 and res.json()["code"] == "space_not_opened"
    assert not Member.objects.filter(space=space, user=newcomer).exists()
    res = api.post(f"/api/v1/cases/{space_case.pk}/space")
    assert res.status_code == 200 and res.json()["id"] == space.pk
    assert {m["user_id"]: m["role"] for m in res.json()["members"]}[newcomer.pk] == "lawyer"
    # taking part in one case opens nothing in another
    other = make_case()
    assert api.post(f"/api/v1/cases/{other.pk}/space").json()["code"] == "space_not_found"


def test_a_removed_member_is_not_let_back_in_by_a_post(space, space_case, users, bearer):
    from yunting.workflows.casespace.services import space_remove

    space_remove(space=space, actor=users["judge"], user_id=users["defendant"].pk, reason="辱骂他人")
    for method in ("get", "post"):
        res = getattr(bearer("defendant"), method)(f"/api/v1/cases/{space_case.pk}/space")
        assert res.status_code == 404 and res.json()["code"] == "space_not_found", method
    assert Member.objects.get(space=space, user=users["defendant"]).removed_at is not None


def test_strangers_open_nothing(space_case, bearer, make_case):
    from yunting.workflows.casespace.models import Space

    missing = bearer("plaintiff").post("/api/v1/cases/999999999/space")
    assert missing.status_code == 404 and missing.json()["code"] == "space_not_found"
    for who in ("court_admin", "filing_officer", "mediator"):
        for method in ("get", "post"):
            res = getattr(bearer(who), method)(f"/api/v1/cases/{space_case.pk}/space")
            assert res.status_code == 404 and res.json() == missing.json(), (who, method)
    assert not Space.objects.exists()


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

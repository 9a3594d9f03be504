"""The assignment API and the case detail's lifecycle fields: roles, 404 for outsiders, exact shapes."""

import pytest

from yunting.core.courts import services as s

pytestmark = pytest.mark.django_db


def test_assign_auto_returns_judge_and_reason_per_case(setup_court, make_case, bearer):
    cases = [make_case(participants=()) for _ in range(3)]
    r = bearer("filing_officer").post("/api/v1/cases/assign-auto", {"case_ids": [c.pk for c in cases] + [999999]},
                                      content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["assigned"] == 3
    assert [i["case_id"] for i in body["items"]] == [c.pk for c in cases] + [999999]
    first = body["items"][0]
    assert first["assigned"] and first["judge_name"] and "速裁团队" in first["reason"] and first["judge"]
    missing = body["items"][-1]
    assert missing["assigned"] is False and missing["judge"] is None and missing["code"] == "not_found"


def test_party_gets_not_found_from_assign_auto(setup_court, make_case, bearer):
    case = make_case(participants=("lawyer",))
    r = bearer("lawyer").post("/api/v1/cases/assign-auto", {"case_ids": [case.pk]}, content_type="application/json")
    assert r.json()["items"][0]["code"] == "not_found"


def test_manual_assignment_endpoint_and_detail_fields(setup_court, make_case, bearer, users):
    ns = setup_court
    case = make_case(participants=("lawyer",))
    body = {"judge": ns.judges["zhao"].pk, "panel": [ns.judges["qian"].pk, ns.judges["sun"].pk],
            "clerk": users["clerk"].pk, "assistant": users["assistant"].pk, "procedure": "ordinary",
            "reason": "标的额大，案情复杂"}
    r = bearer("filing_officer").post(f"/api/v1/cases/{case.pk}/assignment", body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["division_name"] == "民一庭" and r.json()["panel"][0] == ns.judges["zhao"].pk
    detail = bearer("lawyer").get(f"/api/v1/cases/{case.pk}").json()
    assert detail["status"] == "in_trial" and detail["procedure"] == "ordinary" and detail["judge"] == "赵法官"
    assert detail["outcome"] is None and detail["closed_on"] is None
    assert detail["assignment_reason"] is None  # the court's internal reason is not shown to a party's lawyer
    names = {p["name"] for p in detail["participants"]}
    assert {"赵法官", "钱法官", "孙法官", "刘晓燕", "陈思远"} <= names  # the parties see who judges


def test_reassignment_only_by_division_head(setup_court, make_case, bearer, users):
    ns = setup_court
    case = make_case(participants=("lawyer",))
    s.case_assign(case=case, actor=users["filing_officer"], judge=ns.judges["zhang"].pk, procedure="simple",
                  reason="指定")
    body = {"judge": ns.judges["li"].pk, "procedure": "simple", "reason": "调整"}
    r = bearer("filing_officer").post(f"/api/v1/cases/{case.pk}/assignment", body, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "reassign_forbidden"
    r = bearer("lawyer").post(f"/api/v1/cases/{case.pk}/assignment", body, content_type="application/json")
    assert r.status_code == 403
    r = bearer("defendant").post(f"/api/v1/cases/{case.pk}/assignment", body, content_type="application/json")
    assert r.status_code == 404
    from django.test import Client

    from yunting.interfaces.api.models import ApiToken

    _, raw = ApiToken.issue(user=ns.head, name="t")
    head = Client(headers={"Authorization": f"Bearer {raw}"})
    r = head.post(f"/api/v1/cases/{case.pk}/assignment", body, content_type="application/json")
    assert r.status_code == 200 and r.json()["previous_judge"] == ns.judges["zhang"].pk


def test_bad_procedure_is_a_clear_error(setup_court, make_case, bearer):
    case = make_case(participants=())
    r = bearer("filing_officer").post(f"/api/v1/cases/{case.pk}/assignment",
                                      {"judge": setup_court.judges["zhang"].pk, "procedure": "fast", "reason": "x"},
                                      content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "procedure"


def test_court_counts(setup_court, make_case, bearer, users):
    cases = [make_case(participants=()) for _ in range(3)]
    s.cases_assign_auto(case_ids=[c.pk for c in cases[:2]], actor=users["filing_officer"])
    r = bearer("court_admin").get("/api/v1/courts/粤0306/counts")
    assert r.status_code == 200
    body = r.json()
    assert body["open"] == 2 and body["unassigned"] == 1 and sum(j["open"] for j in body["by_judge"]) == 2
    assert bearer("lawyer").get("/api/v1/courts/粤0306/counts").status_code == 403

"""Cases through the API: the caller's own, paginated and filtered; others' invisible; personal data masked."""

import pytest
from django.test import Client

from yunting.kernel.security.models import ReadLog


def test_list_is_paginated_and_only_the_callers(make_case, bearer):
    cases = [make_case() for _ in range(3)]
    make_case(participants=("clerk",), plaintiff="defendant")  # the lawyer takes no part in this one
    client = bearer("lawyer")

    r = client.get("/api/v1/cases", {"page_size": 2})
    assert r.status_code == 200
    body = r.json()
    assert (body["count"], body["page"], body["page_size"]) == (3, 1, 2)
    assert [c["id"] for c in body["items"]] == [cases[2].pk, cases[1].pk]
    item = body["items"][0]
    assert {"id", "number", "type_code", "status", "title", "cause", "court", "procedure", "registered_at"} <= set(item)
    assert item["type_code"] == "民初" and item["cause"] == "民间借贷纠纷" and item["status"] == "registered"

    second = client.get("/api/v1/cases", {"page_size": 2, "page": 2}).json()
    assert [c["id"] for c in second["items"]] == [cases[0].pk]
    assert client.get("/api/v1/cases", {"page": 9}).json()["items"] == []
    assert client.get("/api/v1/cases").json()["page_size"] == 20


@pytest.mark.parametrize("params", [{"page_size": 101}, {"page_size": 0}, {"page": 0}, {"year": "soon"}])
def test_bad_paging_is_a_validation_error(make_case, bearer, params):
    r = bearer("judge").get("/api/v1/cases", params)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid" and body["message"] and body["data"]["errors"]


def test_filters(make_case, bearer):
    loan = make_case()
    lease = make_case(cause="房屋租赁合同纠纷", defendant_name="欧阳娜娜")
    client = bearer("judge")

    def ids(**params):
        return {c["id"] for c in client.get("/api/v1/cases", params).json()["items"]}

    assert ids(q="租赁") == {lease.pk}
    assert ids(q="欧阳") == {lease.pk}
    assert ids(q="借贷") == {loan.pk}
    assert ids(q="不存在的词") == set()
    assert ids(type_code="民初") == {loan.pk, lease.pk}
    assert ids(type_code="执") == set()
    assert ids(status="registered") == {loan.pk, lease.pk}
    assert ids(status="closed") == set()
    assert ids(year=loan.year) == {loan.pk, lease.pk}
    assert ids(year=loan.year - 1) == set()


def test_a_case_not_yours_is_exactly_like_no_case(make_case, bearer, add_document):
    hidden = make_case(participants=("clerk",), plaintiff="defendant")
    doc = add_document(hidden)
    client = bearer("lawyer")
    for path in ("/api/v1/cases/{}", "/api/v1/cases/{}/journal", "/api/v1/cases/{}/efile"):
        theirs = client.get(path.format(hidden.pk))
        missing = client.get(path.format(hidden.pk + 1000))
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
        assert theirs.json()["code"] == "case_not_found"
    theirs = client.get(f"/api/v1/documents/{doc.pk}/content")
    missing = client.get(f"/api/v1/documents/{doc.pk + 1000}/content")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert not ReadLog.objects.filter(case_id=hidden.pk, username="lawyer").exists()


def test_detail_masks_personal_data_for_the_lawyer_not_the_judge(make_case, bearer, users):
    case = make_case()
    as_lawyer = bearer("lawyer").get(f"/api/v1/cases/{case.pk}")
    as_judge = bearer("judge").get(f"/api/v1/cases/{case.pk}")
    assert as_lawyer.status_code == as_judge.status_code == 200
    full_id = users["plaintiff"].id_number

    lawyer_body, judge_body = as_lawyer.json(), as_judge.json()
    lp, jp = lawyer_body["parties"][0], judge_body["parties"][0]
    assert lp["name"] == jp["name"] == "张伟"
    assert jp["id_number"] == full_id and jp["phone"] == "13912345678"
    assert lp["id_number"] == full_id[:4] + "*" * 10 + full_id[-4:]
    assert lp["phone"] == "139****5678"
    assert full_id not in as_lawyer.content.decode()
    assert lawyer_body["personal_data_masked"] is True and judge_body["personal_data_masked"] is False

    assert judge_body["number"] == case.number and judge_body["journal_length"] == 1
    assert judge_body["security_level"] == "internal"
    roles = {(p["role"], p["name"]) for p in judge_body["participants"]}
    assert {("judge", "王立明"), ("clerk", "刘晓燕"), ("lawyer", "黄志强"), ("party", "张伟")} <= roles

    assert ReadLog.objects.filter(username="judge", action="party.personal_data", case_id=case.pk).count() == 2
    assert not ReadLog.objects.filter(username="lawyer", action="party.personal_data").exists()
    assert ReadLog.objects.filter(username="lawyer", action="case.view", case_id=case.pk, channel="api").count() == 1


def test_journal_in_order_with_hash_chain(make_case, bearer, add_document):
    case = make_case()
    doc = add_document(case)
    body = bearer("plaintiff").get(f"/api/v1/cases/{case.pk}/journal").json()
    assert body["count"] == 2 and body["case_number"] == case.number
    first, second = body["items"]
    assert (first["seq"], first["kind"], second["seq"], second["kind"]) == (1, "case.registered", 2, "filing.submitted")
    assert first["prev_hash"] == "0" * 64 and second["prev_hash"] == first["entry_hash"]
    assert first["actor"] == "赵文静" and second["actor"] == "黄志强"
    assert second["documents"] == [doc.sha256]
    assert second["recorded_at"].endswith("Z") and "T" in second["recorded_at"]
    assert first["payload"]["number"] == case.number

    page2 = bearer("plaintiff").get(f"/api/v1/cases/{case.pk}/journal", {"page_size": 1, "page": 2}).json()
    assert [e["seq"] for e in page2["items"]] == [2]


def test_session_works_as_well_as_bearer(make_case, users):
    case = make_case()
    client = Client()
    client.force_login(users["judge"])
    r = client.get(f"/api/v1/cases/{case.pk}")
    assert r.status_code == 200 and r.json()["id"] == case.pk
    assert client.get("/api/v1/me").json()["auth"] == "session"

"""The filing API, through HTTP: policy, dry run, file one case, batches with progress and report."""

import json

import pytest
from django.test import Client

from yunting.core.cases.models import Case
from yunting.workflows.filing.models import Filing, FilingBatch, FilingEvent, FilingParty

from .conftest import good_payload
from .test_batches import body as batch_body

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def bank(cast):
    from yunting.workflows.filing.batches import institution_key_create

    orgs, _ = cast
    _, raw = institution_key_create(institution=orgs["bank"], court=orgs["court"])
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _json(client, url, data):
    return client.post(url, json.dumps(data, ensure_ascii=False), content_type="application/json")


def test_policy_is_public_and_versioned(cast, client):
    res = client.get("/api/v1/filing/policy")
    assert res.status_code == 200
    body = res.json()
    assert body["version"].startswith("1.")
    assert {"民初", "执"} <= {t["code"] for t in body["case_types"]}
    assert "金融借款合同纠纷" in {c["name"] for c in body["causes"]}
    assert {"natural", "legal", "other_org"} == {k["code"] for k in body["party_kinds"]}
    assert "property" in {k["code"] for k in body["fee_kinds"]}
    assert "evidence" in {k["code"] for k in body["document_kinds"]}
    assert client.get("/api/v1/filing/policy").json()["version"] == body["version"]


def test_check_reports_every_problem_and_writes_nothing(cast, bearer):
    before = (Filing.objects.count(), FilingParty.objects.count(), FilingEvent.objects.count())
    bad = good_payload(court="粤9999", cause="", claim_amount="12.345", facts="",
                       parties=[{"role": "plaintiff", "kind": "natural", "name": "张伟",
                                 "id_number": "110105194912310021", "phone": "abc"}])
    res = _json(bearer("lawyer"), "/api/v1/filings/check", bad)
    assert res.status_code == 200
    body = res.json()
    assert body["ok"] is False and body["fee"] is None
    assert {(p["field"], p["code"]) for p in body["problems"]} == {
        ("court", "unknown"), ("cause", "required"), ("claim_amount", "amount_too_precise"), ("facts", "required"),
        ("parties[0].id_number", "ric_checksum"), ("parties[0].phone", "invalid"), ("parties", "no_defendant")}
    good = _json(bearer("lawyer"), "/api/v1/filings/check", good_payload()).json()
    assert good["ok"] is True and good["fee"]["fee"] == "1150.00"
    assert (Filing.objects.count(), FilingParty.objects.count(), FilingEvent.objects.count()) == before


def test_check_needs_a_caller(cast, client):
    assert _json(client, "/api/v1/filings/check", good_payload()).status_code == 401


def test_file_one_case_and_read_it_back(cast, bearer):
    res = _json(bearer("plaintiff"), "/api/v1/filings", good_payload())
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["status"] == "submitted" and body["deadline"] and body["fee"]["fee"] == "1150.00"
    assert [p["name"] for p in body["parties"]] == ["张伟", "李娜"]
    assert bearer("plaintiff").get(f"/api/v1/filings/{body['id']}").json()["id"] == body["id"]
    assert bearer("filing_officer").get(f"/api/v1/filings/{body['id']}").status_code == 200
    for outsider in ("defendant", "judge", "lawyer"):
        res = bearer(outsider).get(f"/api/v1/filings/{body['id']}")
        assert res.status_code == 404 and res.json()["code"] == "filing_not_found"


def test_refused_filing_leaves_nothing(cast, bearer):
    res = _json(bearer("plaintiff"), "/api/v1/filings", good_payload(claims=[], facts=""))
    assert res.status_code == 400
    assert res.json()["code"] == "filing_invalid"
    assert {p["field"] for p in res.json()["data"]["problems"]} == {"claims", "facts"}
    assert Filing.objects.count() == 0


def test_batch_over_http(cast, bank, bearer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        res = bank.post("/api/v1/filings/batches", batch_body(), content_type="application/x-ndjson")
    assert res.status_code == 202, res.content
    batch_id = res.json()["id"]
    got = bank.get(f"/api/v1/filings/batches/{batch_id}").json()
    assert (got["status"], got["filed"], got["invalid"], got["processed_lines"]) == ("done", 193, 7, 200)
    assert all(r["errors"][0]["field"] is not None for r in got["report"])
    assert bearer("lawyer").get(f"/api/v1/filings/batches/{batch_id}").status_code == 401  # people: no
    res = bearer("judge").post(f"/api/v1/filings/batches/{batch_id}/accept")
    assert res.status_code == 403
    with django_capture_on_commit_callbacks(execute=False):
        res = bearer("filing_officer").post(f"/api/v1/filings/batches/{batch_id}/accept")
    assert res.status_code == 200 and res.json() == {"accepted": 193, "failed": []}
    assert Case.objects.count() == 193


def test_batch_keys_are_checked(cast, client):
    res = client.post("/api/v1/filings/batches", b'{"a":1}\n', content_type="application/x-ndjson",
                      headers={"Authorization": "Bearer ytk_not-a-key"})
    assert res.status_code == 401
    assert FilingBatch.objects.count() == 0


def test_another_institution_cannot_read_a_batch(cast, bank, django_capture_on_commit_callbacks):
    from yunting.core.people.models import Organisation
    from yunting.workflows.filing.batches import institution_key_create

    with django_capture_on_commit_callbacks(execute=True):
        batch_id = bank.post("/api/v1/filings/batches", batch_body(n=5, bad={}, garbage_line=False),
                             content_type="application/x-ndjson").json()["id"]
    orgs, _ = cast
    other = Organisation.objects.create(kind="bank", name="另一家银行")
    _, raw = institution_key_create(institution=other, court=orgs["court"])
    res = Client(headers={"Authorization": f"Bearer {raw}"}).get(f"/api/v1/filings/batches/{batch_id}")
    assert res.status_code == 404


def test_upload_then_file_with_the_document(cast, bearer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yunting.kernel.pdf.make import simple_pdf

    client = bearer("lawyer")
    res = client.post("/api/v1/filings/uploads", {"file": SimpleUploadedFile("借条.pdf", simple_pdf(title="借条"))})
    assert res.status_code == 201 and res.json()["mime_type"] == "application/pdf"
    sha = res.json()["sha256"]
    bad = client.post("/api/v1/filings/uploads", {"file": SimpleUploadedFile("借条.pdf", b"MZ\x90\x00" + b"\0" * 300)})
    assert bad.status_code == 400 and bad.json()["code"] == "upload_type"
    res = _json(client, "/api/v1/filings", good_payload(
        on_behalf_of="plaintiff", documents=[{"sha256": sha, "title": "借条", "kind": "evidence"}]))
    assert res.status_code == 400 and [p["code"] for p in res.json()["data"]["problems"]] == [
        "power_of_attorney_required"]
    poa = client.post("/api/v1/filings/uploads", {"file": SimpleUploadedFile(
        "授权委托书.pdf", simple_pdf(title="授权委托书", body="委托人张伟委托王律师为诉讼代理人"))}).json()["sha256"]
    res = _json(client, "/api/v1/filings", good_payload(
        on_behalf_of="plaintiff", documents=[{"sha256": sha, "title": "借条", "kind": "evidence"},
                                             {"sha256": poa, "title": "授权委托书", "kind": "power_of_attorney"}]))
    assert res.status_code == 201, res.content
    docs = {(d["kind"], d["generated"]) for d in res.json()["documents"]}
    assert docs == {("evidence", False), ("power_of_attorney", False), ("complaint", True), ("evidence_list", True)}
    assert bearer("plaintiff").get(f"/api/v1/filings/{res.json()['id']}").status_code == 200  # the client sees it


def test_openapi_documents_the_filing_endpoints(cast, client):
    res = client.get("/api/v1/openapi.json")
    assert res.status_code == 200
    paths = res.json()["paths"]
    for path in ("/api/v1/filing/policy", "/api/v1/filings/check", "/api/v1/filings", "/api/v1/filings/{id}",
                 "/api/v1/filings/uploads", "/api/v1/filings/batches", "/api/v1/filings/batches/{id}",
                 "/api/v1/filings/batches/{id}/accept", "/api/v1/filings/webhook"):
        assert path in paths, path
    assert "records.jsonl" in paths["/api/v1/filings/batches"]["post"]["description"]

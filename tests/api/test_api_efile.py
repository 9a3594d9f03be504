"""The e-file catalogue and document bytes: 副卷 stays with the court; bytes come back exactly."""

import hashlib

from yunting.kernel.blobs.store import blob_read
from yunting.kernel.security.models import ReadLog


def sections(body):
    return {s["code"]: s for v in body["volumes"] for s in v["sections"]}


def test_catalog_shows_main_volume_to_all_and_secondary_to_the_court_only(make_case, bearer, add_document):
    case = make_case()
    complaint = add_document(case)
    report = add_document(case, kind="trial_report", title="审理报告", body="合议庭意见", actor="judge")

    judge = bearer("judge").get(f"/api/v1/cases/{case.pk}/efile").json()
    assert [v["code"] for v in judge["volumes"]] == ["main", "secondary"]
    assert judge["volumes"][1]["title"] == "副卷"
    assert judge["document_count"] == 2
    by_code = sections(judge)
    doc = by_code["01"]["documents"][0]
    assert (by_code["01"]["title"], by_code["01"]["volume"]) == ("起诉与受理", "main")
    assert doc["id"] == complaint.pk and doc["sha256"] == complaint.sha256 and doc["title"] == "起诉状"
    assert (doc["section"], doc["kind"], doc["volume"], doc["page_count"]) == ("01", "complaint", "main", 1)
    assert doc["security_level"] == "internal"
    assert doc["content_url"] == f"/api/v1/documents/{complaint.pk}/content"
    assert by_code["51"]["documents"][0]["id"] == report.pk

    for who in ("lawyer", "plaintiff"):
        body = bearer(who).get(f"/api/v1/cases/{case.pk}/efile").json()
        assert [v["code"] for v in body["volumes"]] == ["main"]
        assert body["document_count"] == 1
        assert "审理报告" not in str(body) and report.sha256 not in str(body)
        secondary = bearer(who).get(f"/api/v1/documents/{report.pk}/content")
        missing = bearer(who).get(f"/api/v1/documents/{report.pk + 1000}/content")
        assert secondary.status_code == missing.status_code == 404
        assert secondary.content == missing.content
    assert bearer("judge").get(f"/api/v1/documents/{report.pk}/content").status_code == 200


def test_journal_hides_secondary_hashes_from_outside_roles(make_case, bearer, add_document):
    case = make_case()
    report = add_document(case, kind="trial_report", title="审理报告", actor="judge")
    lawyer_entry = bearer("lawyer").get(f"/api/v1/cases/{case.pk}/journal").json()["items"][-1]
    judge_entry = bearer("judge").get(f"/api/v1/cases/{case.pk}/journal").json()["items"][-1]
    assert judge_entry["documents"] == [report.sha256] and judge_entry["redacted"] is False
    assert lawyer_entry["documents"] == [] and lawyer_entry["redacted"] is True
    assert lawyer_entry["entry_hash"] == judge_entry["entry_hash"]


def test_catalog_search(make_case, bearer, add_document):
    case = make_case()
    add_document(case)
    evidence = add_document(case, kind="evidence", title="借条", body="今借到人民币五万元整")
    body = bearer("lawyer").get(f"/api/v1/cases/{case.pk}/efile", {"q": "借条"}).json()
    assert body["document_count"] == 1 and body["q"] == "借条"
    assert sections(body)["03"]["documents"][0]["id"] == evidence.pk
    assert bearer("lawyer").get(f"/api/v1/cases/{case.pk}/efile", {"q": "判决"}).json()["document_count"] == 0


def test_content_streams_the_exact_bytes(make_case, bearer, add_document):
    case = make_case()
    doc = add_document(case)
    client = bearer("lawyer")
    r = client.get(f"/api/v1/documents/{doc.pk}/content")
    assert r.status_code == 200 and r.streaming
    data = b"".join(r.streaming_content)
    assert data == blob_read(doc.sha256)
    assert hashlib.sha256(data).hexdigest() == doc.sha256
    assert r["Content-Type"] == "application/pdf"
    assert r["ETag"] == f'"{doc.sha256}"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Length"] == str(len(data))
    assert r["Content-Disposition"].startswith("inline")
    assert "filename*=utf-8''%E8%B5%B7%E8%AF%89%E7%8A%B6.pdf" in r["Content-Disposition"]

    again = client.get(f"/api/v1/documents/{doc.pk}/content", headers={"If-None-Match": r["ETag"]})
    assert again.status_code == 304
    assert ReadLog.objects.filter(username="lawyer", action="document.view", object_id=str(doc.pk),
                                  case_id=case.pk, channel="api").count() == 2


def test_every_read_is_logged(make_case, bearer, add_document):
    case = make_case()
    doc = add_document(case)
    client = bearer("clerk")
    client.get(f"/api/v1/cases/{case.pk}")
    client.get(f"/api/v1/cases/{case.pk}/journal")
    client.get(f"/api/v1/cases/{case.pk}/efile")
    b"".join(client.get(f"/api/v1/documents/{doc.pk}/content").streaming_content)
    actions = set(ReadLog.objects.filter(username="clerk", case_id=case.pk).values_list("action", flat=True))
    assert actions == {"case.view", "party.personal_data", "journal.view", "efile.view", "document.view"}
    assert set(ReadLog.objects.filter(username="clerk").values_list("channel", flat=True)) == {"api"}
    assert set(ReadLog.objects.filter(username="clerk").values_list("ip", flat=True)) == {"127.0.0.1"}

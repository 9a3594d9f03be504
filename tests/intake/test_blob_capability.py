"""Issue 9 §1: a blob is never a capability. Every document's SHA-256 is public on the ledger; naming one in a
filing (API, web draft or batch record) must not bring the document in — only the caller's own upload of those
bytes can — and so nobody can read another case's secret papers through a filing of their own."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.filing.conftest import good_payload
from yunting.core.efile.models import Upload
from yunting.kernel.pdf.make import simple_pdf
from yunting.kernel.security.models import ReadLog
from yunting.workflows.filing.models import Filing, FilingDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets_(make_case, add_document):
    """A secret case's 起诉状 and another case's 副卷 审理报告: their hashes are public, their bytes are not."""
    secret = make_case(security_level="secret", plaintiff="defendant", participants=("judge", "clerk"),
                       defendant_name="赵某")
    complaint = add_document(secret, "judge", title="起诉状", body="绝密案件的起诉状全文")
    other = make_case(plaintiff="defendant", participants=("judge", "clerk"), defendant_name="钱某")
    report = add_document(other, "judge", title="审理报告", kind="trial_report", body="合议庭评议意见：")
    assert report.section.volume == "secondary"
    return [complaint.blob_id, report.blob_id]


@pytest.fixture
def attackers(users, make_case, bearer, django_user_model):
    make_case()  # the plaintiff takes part in a case of their own, just not in those
    fresh = django_user_model.objects.create_user(username="newcomer", password="pw-for-tests-123",
                                                  real_name="新注册用户")
    from yunting.interfaces.api.models import ApiToken

    clients = {name: bearer(name) for name in ("plaintiff", "mediator", "prison_officer")}
    clients["newcomer"] = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user=fresh, name='t')[1]}"})
    return clients


def _post_filing(client, documents):
    return client.post("/api/v1/filings", json.dumps(good_payload(documents=documents), ensure_ascii=False),
                       content_type="application/json")


def test_naming_a_public_hash_brings_in_nothing(secrets_, attackers, users, client):
    reads = ReadLog.objects.count()
    for name, api in attackers.items():
        for sha in secrets_:
            res = _post_filing(api, [{"sha256": sha, "title": "证据", "kind": "evidence"}])
            assert res.status_code == 400, (name, res.content)
            problems = res.json()["data"]["problems"]
            assert {(p["field"], p["code"]) for p in problems} == {("documents[0].sha256", "not_uploaded")}
            # nor by guessing an upload id, nor by another's upload id
            res = _post_filing(api, [{"upload_id": sha[:32], "title": "证据", "kind": "evidence"}])
            assert res.status_code == 400 and res.json()["data"]["problems"][0]["code"] == "not_uploaded"
    # the web form's draft payload is the same path: a draft naming the hash cannot be submitted either
    client.force_login(users["mediator"])
    assert client.post("/filing/new/").status_code == 302
    filing = Filing.objects.latest("id")
    from yunting.workflows.filing.services import filing_save_draft

    filing_save_draft(filer=users["mediator"], filing=filing,
                      data={"documents": [{"sha256": secrets_[0], "title": "证据", "kind": "evidence"}]})
    res = client.post(f"/filing/{filing.pk}/submit/", {}, follow=True)
    assert "该材料尚未上传" in res.content.decode()
    filing.refresh_from_db()
    assert filing.status == "draft"
    assert not FilingDocument.objects.filter(blob_id__in=secrets_).exists()
    assert not FilingDocument.objects.filter(source_blob_id__in=secrets_).exists()
    assert ReadLog.objects.count() == reads  # nothing was read


def test_a_batch_record_cannot_name_a_public_hash(secrets_, cast, django_capture_on_commit_callbacks):
    from tests.filing.test_batches import loan
    from yunting.workflows.filing.batches import batch_create, institution_key_create

    orgs, _ = cast
    key, _raw = institution_key_create(institution=orgs["bank"], court=orgs["court"])
    records = [loan(i, documents=[{"sha256": sha, "title": "借据", "kind": "evidence"}]) for i, sha in enumerate(secrets_)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(key=key, body="\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode())
    batch.refresh_from_db()
    assert (batch.filed, batch.invalid) == (0, 2)
    assert {e["code"] for r in batch.report for e in r["errors"]} == {"not_uploaded"}
    assert not FilingDocument.objects.filter(blob_id__in=secrets_).exists()


def test_own_upload_of_the_same_bytes_is_proof_of_possession(users, bearer):
    """Whoever holds the bytes may file them (they uploaded them): naming the hash of their own accepted upload
    works; another's upload of the very same bytes is invisible to them."""
    pdf = simple_pdf(title="借条", body="今借到张伟人民币十万元整。")
    lawyer, plaintiff = bearer("lawyer"), bearer("plaintiff")
    mine = plaintiff.post("/api/v1/filings/uploads", {"file": SimpleUploadedFile("借条.pdf", pdf)}).json()
    assert mine["status"] == "accepted" and mine["upload_id"]
    assert lawyer.get(f"/api/v1/filings/uploads/{mine['upload_id']}").status_code == 404
    res = _post_filing(lawyer, [{"upload_id": mine["upload_id"], "title": "借条", "kind": "evidence"}])
    assert res.status_code == 400 and res.json()["data"]["problems"][0]["field"] == "documents[0].upload_id"
    res = _post_filing(plaintiff, [{"sha256": mine["sha256"], "title": "借条", "kind": "evidence"}])
    assert res.status_code == 201, res.content
    doc = res.json()["documents"][0]
    assert doc["upload_id"] == mine["upload_id"] and doc["sha256"] == mine["sha256"]


def test_every_read_of_a_filings_document_is_logged(users, as_user):
    from tests.filing.test_web import FORM

    client = as_user("plaintiff")
    client.post("/filing/new/")
    filing = Filing.objects.latest("id")
    res = client.post(f"/filing/{filing.pk}/documents/", {**FORM, "title": "借条", "kind": "evidence",
                                                          "file": SimpleUploadedFile("借条.pdf", simple_pdf(title="借条"))})
    assert res.status_code == 302
    doc = filing.documents.get()
    before = ReadLog.objects.count()
    assert b"".join(client.get(f"/filing/{filing.pk}/documents/{doc.pk}/content").streaming_content).startswith(b"%PDF")
    log = ReadLog.objects.order_by("-id").first()
    assert ReadLog.objects.count() == before + 1
    assert (log.username, log.action, log.object_type) == ("plaintiff", "filing.document.read", "filing_document")
    assert as_user("mediator").get(f"/filing/{filing.pk}/documents/{doc.pk}/content").status_code == 404
    assert ReadLog.objects.count() == before + 1
    assert Upload.objects.get(pk=doc.upload_id).user == users["plaintiff"]


def test_reading_a_papers_pdf_is_logged(make_case, add_document, users, client):
    from yunting.core.papers.models import Paper, PaperStatus

    case = make_case()
    blob_id = add_document(case, "judge", title="民事裁定书", kind="ruling").blob_id
    paper = Paper.objects.create(case=case, template_code="withdrawal_ruling", title="民事裁定书", kind="ruling",
                                 status=PaperStatus.ISSUED, pdf_sha256=blob_id, created_by=users["judge"])
    client.force_login(users["judge"])
    assert client.get(f"/papers/{paper.pk}/pdf").content.startswith(b"%PDF")
    log = ReadLog.objects.order_by("-id").first()
    assert (log.action, log.object_type, log.object_id, log.case_id) == ("paper.read", "paper", str(paper.pk), case.pk)

from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.core.efile.models import Document
from yunting.kernel.pdf.make import simple_pdf


def _post(client, case, *, data: bytes, name="证据.pdf", title="银行转账记录", kind="evidence"):
    return client.post(f"/api/v1/cases/{case.pk}/documents",
                       {"file": SimpleUploadedFile(name, data), "title": title, "kind": kind})


def test_lawyer_submits_evidence_which_lands_in_its_section(make_case, bearer):
    case = make_case()
    res = _post(bearer("lawyer"), case, data=simple_pdf(title="银行转账记录", body="2026年1月转账十万元", pages=2))
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["section"] == "03" and body["page_count"] == 2 and body["mime_type"] == "application/pdf"
    assert case.journal.order_by("-seq").first().kind == "efile.document_submitted"


def test_content_not_name_decides(make_case, bearer):
    case = make_case()
    res = _post(bearer("lawyer"), case, data=b"MZ\x90\x00" + b"\0" * 500, name="合同.pdf")
    assert res.status_code == 400 and res.json()["code"] == "upload_type"
    assert not Document.objects.filter(case=case).exists() and case.journal.count() == 1


def test_size_limit_is_clear_and_changes_nothing(make_case, bearer, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    case = make_case()
    res = _post(bearer("lawyer"), case, data=simple_pdf(title="大文件", body="很长" * 2000, pages=3))
    assert res.status_code == 400 and res.json()["code"] == "upload_too_large"
    assert "MB" in res.json()["message"]
    assert case.journal.count() == 1


def test_party_cannot_file_into_the_secondary_volume(make_case, bearer):
    case = make_case()
    res = _post(bearer("lawyer"), case, data=simple_pdf(title="x"), kind="trial_report")
    assert res.status_code == 422 and res.json()["code"] == "document_kind_not_allowed"  # a court kind
    res = _post(bearer("lawyer"), case, data=simple_pdf(title="x"), kind="no_such_kind")
    assert res.status_code == 400 and res.json()["code"] == "efile_kind"
    assert _post(bearer("judge"), case, data=simple_pdf(title="审理报告"), title="审理报告", kind="trial_report").status_code == 201


def test_outsider_gets_404(make_case, bearer):
    case = make_case()
    res = _post(bearer("mediator"), case, data=simple_pdf(title="x"))
    assert res.status_code == 404
    assert case.journal.count() == 1


def test_errors_follow_the_callers_language(make_case, bearer):
    case = make_case()
    client = bearer("lawyer")
    upload = {"file": SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 100), "title": "x", "kind": "evidence"}
    zh = client.post(f"/api/v1/cases/{case.pk}/documents", upload).json()
    upload["file"].seek(0)
    en = client.post(f"/api/v1/cases/{case.pk}/documents", upload, HTTP_ACCEPT_LANGUAGE="en").json()
    assert zh["code"] == en["code"] == "upload_type"
    assert "不支持的文件类型" in zh["message"]
    assert en["message"].startswith("Unsupported file type")


def test_a_case_upload_is_checked_by_content_like_a_filing(make_case, bearer):
    """Evidence filed into a case meets the same content checks as evidence filed with a complaint."""
    from tests.scan import samples

    case = make_case()
    low = samples.scanned_pdf([samples.page_image(600, 850)])  # A4 at about 72 dpi
    res = bearer("lawyer").post(f"/api/v1/cases/{case.pk}/documents",
                                {"file": SimpleUploadedFile("扫描件.pdf", low), "title": "借条扫描件",
                                 "kind": "evidence"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert res.status_code == 400 and res.json()["code"] == "scan_low_resolution"
    assert "第 1 页" in res.json()["message"] and "150 dpi" in res.json()["message"]
    assert case.journal.count() == 1 and not Document.objects.filter(case=case).exists()
    photo = samples.photo_of(samples.page_image(1654, 2339))
    res = _post(bearer("lawyer"), case, data=photo, name="IMG_0001.jpg", title="借条照片")
    assert res.status_code == 201 and res.json()["mime_type"] == "application/pdf" and res.json()["page_count"] == 1
    entry = case.journal.order_by("-seq").first()
    assert entry.payload["notes"] == ["photo_straightened"] and len(entry.payload["source_sha256"]) == 64

"""The scanning pages as people use them: the station (upload, batch, queue), the case's paper (cover sheets,
originals), the clerk's queue, the store; each refused to those who may not see it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.workflows.scanning.models import Original, ScanBatch, ScanDocument

from .samples import blank_page, scanner_pdf

pytestmark = pytest.mark.django_db


def test_station_uploads_a_batch_and_shows_what_goes_back(client, users, make_case, cover,
                                                         django_capture_on_commit_callbacks):
    case = make_case()
    _sheet, sheet_image = cover(case, kind="evidence", title="借条", pages=1)
    client.force_login(users["scanner"])
    assert client.get("/scanning/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post("/scanning/", {"files": SimpleUploadedFile("b.pdf", scanner_pdf([sheet_image, blank_page()])),
                                         "station": "立案大厅1号"}, follow=True)
    batch = ScanBatch.objects.get()
    assert res.request["PATH_INFO"] == f"/scanning/batches/{batch.pk}/"
    body = client.get(f"/scanning/batches/{batch.pk}/").content.decode()  # after the page jobs ran
    assert batch.status == "done" and "已完成" in body and "均为空白页" in body
    (doc,) = ScanDocument.objects.filter(batch=batch)
    assert [p["code"] for p in doc.problems] == ["scan_empty", "scan_page_count"]
    station = client.get("/scanning/").content.decode()
    assert "已退回扫描站" in station and "均为空白页" in station and case.number in station


@pytest.mark.parametrize("name", ["judge", "lawyer", "plaintiff"])
def test_station_is_court_scanning_staff_only(client, users, name):
    client.force_login(users[name])
    assert client.get("/scanning/").status_code == 404
    res = client.post("/scanning/", {"files": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n")})
    assert res.status_code == 404 and not ScanBatch.objects.exists()


def test_case_paper_prints_cover_sheets_and_moves_originals(client, users, make_case):
    from yunting.kernel.ocr import find_qr, render_page
    from yunting.workflows.scanning.cover import cover_token_read
    from yunting.workflows.scanning.models import CoverSheet

    case = make_case()
    client.force_login(users["clerk"])
    page = client.get(f"/scanning/cases/{case.pk}/").content.decode()
    assert "打印扫描封面" in page and "本案尚无纸质原件登记" in page
    res = client.post(f"/scanning/cases/{case.pk}/cover/", {"kind": "defence", "title": "答辩状", "declared_pages": "3"})
    assert res["Content-Type"] == "application/pdf"
    sheet = CoverSheet.objects.get(case=case)
    assert cover_token_read(find_qr(render_page(res.content, 1))) == sheet.pk
    assert sheet.declared_pages == 3
    bad = client.post(f"/scanning/cases/{case.pk}/cover/", {"kind": "defence", "declared_pages": "0"}, follow=True)
    assert "申报页数须为 1 至 5000 的整数" in bad.content.decode() and CoverSheet.objects.count() == 1

    client.post(f"/scanning/cases/{case.pk}/originals/", {"description": "借条原件", "location": "A-1"})
    original = Original.objects.get(case=case)
    client.post(f"/scanning/cases/{case.pk}/originals/{original.pk}/move/",
                {"action": "lend", "holder": users["judge"].pk, "due_back": "2026-12-31", "reason": "核对"})
    page = client.get(f"/scanning/cases/{case.pk}/").content.decode()
    assert "去向未明" in page and "借给 王立明 未还" in page
    store = client.get("/scanning/originals/", {"lent": "1"}).content.decode()
    assert original.barcode in store and "已借出" in store
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "封面与原件" in case_page and "1 件去向未明" in case_page


@pytest.mark.parametrize("name", ["lawyer", "plaintiff", "defendant"])
def test_outsiders_see_no_paper_pages(client, users, make_case, name):
    case = make_case()
    client.force_login(users[name])
    assert client.get(f"/scanning/cases/{case.pk}/").status_code == 404
    assert client.post(f"/scanning/cases/{case.pk}/cover/", {}).status_code == 404
    assert client.post(f"/scanning/cases/{case.pk}/originals/", {"description": "x", "location": "y"}).status_code == 404
    assert not Original.objects.exists()
    assert "封面与原件" not in client.get(f"/cases/{case.pk}/").content.decode()


def test_clerk_files_a_pending_scan_from_the_queue(client, users, make_case, scanner):
    """The queue offers the suggested kind; filing puts it into the e-file; a second click is refused."""
    from yunting.core.efile.models import Document, Upload
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf

    case = make_case()
    blob = blob_put_bytes(simple_pdf(title="民事答辩状", body="答辩人不予认可"))
    upload = Upload.objects.create(user=scanner, purpose="scan", sha256=blob.sha256, size=blob.size,
                                   mime_type="application/pdf", status="accepted")
    batch = ScanBatch.objects.create(court=case.court, station_user=scanner, upload=upload, status="done")
    doc = ScanDocument.objects.create(batch=batch, case=case, first_page=1, last_page=1, page_count=1, blob=blob,
                                      title="民事答辩状", suggested_kind="defence", confidence=0.98)
    client.force_login(users["lawyer"])
    assert "民事答辩状" not in client.get("/scanning/review/").content.decode()
    assert client.post(f"/scanning/documents/{doc.pk}/decide/", {"kind": "defence"}).status_code == 404
    client.force_login(users["clerk"])
    queue = client.get("/scanning/review/").content.decode()
    assert "民事答辩状" in queue and '<option value="defence" selected>' in queue
    res = client.post(f"/scanning/documents/{doc.pk}/decide/", {"kind": "defence", "title": "民事答辩状"}, follow=True)
    assert "已作为答辩状编入电子卷宗" in res.content.decode()
    doc.refresh_from_db()
    assert Document.objects.get(pk=doc.document_id).section.title == "答辩与反诉"
    again = client.post(f"/scanning/documents/{doc.pk}/decide/", {"kind": "evidence"}, follow=True)
    assert "该扫描件已编目或已退回" in again.content.decode()
    assert Document.objects.filter(case=case, title="民事答辩状").count() == 1

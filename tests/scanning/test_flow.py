"""A station scans two cases' paper in one batch through the API; the platform splits it at the cover sheets,
straightens, drops the blank page, reads the text, suggests the catalogue kind; the clerk files it into the
e-file, where it is searchable and `pdftotext` finds the words; its paper original lands in the store."""

from __future__ import annotations

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.core.efile.models import Document
from yunting.kernel.blobs.store import blob_read
from yunting.workflows.scanning.models import Original, ScanDocument

from .samples import blank_page, scanner_pdf, text_page

pytestmark = pytest.mark.django_db


def _pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_mixed_batch_is_split_at_cover_sheets_and_filed_by_the_clerk(make_case, cover, scanner, users, clerk_access,
                                                                     client, django_capture_on_commit_callbacks):
    from yunting.workflows.scanning.services import scan_document_file

    case_a, case_b = make_case(), make_case(defendant_name="王芳")
    sheet_a, cover_a = cover(case_a, kind="defence", title="李娜答辩状", pages=1)
    sheet_b, cover_b = cover(case_b)
    batch = scanner_pdf([
        cover_a,
        text_page(["民事答辩状", "答辩人李娜对原告的借款请求", "不予认可借款已经归还"], angle=3),
        blank_page(),  # the back of the sheet
        cover_b,
        text_page(["送达回证", "受送达人王芳", "送达文书传票"]),
    ])
    from yunting.interfaces.api.models import ApiToken

    _, raw = ApiToken.issue(user=scanner, name="station")
    with django_capture_on_commit_callbacks(execute=True):  # the page jobs start when the intake's check commits
        res = client.post("/api/v1/scans", {"files": [SimpleUploadedFile("batch.pdf", batch)],
                                            "station": "立案大厅1号"}, headers={"Authorization": f"Bearer {raw}"})
    assert res.status_code == 202, res.content
    body = client.get(f"/api/v1/scans/{res.json()['id']}", headers={"Authorization": f"Bearer {raw}"}).json()
    assert (body["status"], body["page_total"], body["pages_done"], body["progress"]) == ("done", 5, 5, 100)
    docs = {d["case_number"]: d for d in body["documents"]}
    a, b = docs[case_a.number], docs[case_b.number]
    assert (a["first_page"], a["last_page"], a["pages"], a["blank_pages_dropped"]) == (1, 3, 1, [3])
    assert (a["suggested_kind"], a["status"], a["problems"]) == ("defence", "pending", [])
    assert (b["suggested_kind"], b["pages"], b["status"]) == ("service_receipt", 1, "pending")

    doc_a = ScanDocument.objects.get(pk=a["id"])
    pdf = blob_read(doc_a.blob_id)
    assert "不予认可" in _pdftotext(pdf).replace(" ", "")  # the invisible text layer
    filed = scan_document_file(access=clerk_access(case_a), actor=users["clerk"], document=doc_a, kind="")
    document = Document.objects.get(pk=filed.document_id)
    assert (document.kind, document.section.title, document.page_count) == ("defence", "答辩与反诉", 1)
    assert "借款" in document.text
    original = Original.objects.get(barcode=sheet_a.barcode)
    assert (original.case_id, original.status) == (case_a.pk, "in_store")

    from yunting.workflows.scanning.selectors import efile_search

    hits = efile_search(user=users["lawyer"], q="归还").hits
    assert [h.document.pk for h in hits] == [document.pk]
    assert "<mark>归还</mark>" in hits[0].snippet

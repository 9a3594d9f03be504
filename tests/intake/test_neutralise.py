"""Issue 9 §4, the court's option: with YUNTING_PDF_ACTIVE_CONTENT=neutralise a PDF with active content is not
refused — a copy without it is checked again and filed, the note says what was removed, the original stays with
the upload. By default it is refused."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.hostile import corpus as hostile
from yunting.core.efile.models import Upload
from yunting.kernel.blobs.models import Blob
from yunting.kernel.blobs.store import blob_read

pytestmark = pytest.mark.django_db


def test_active_content_is_refused_by_default(bearer):
    res = bearer("plaintiff").post("/api/v1/filings/uploads",
                                   {"file": SimpleUploadedFile("a.pdf", hostile.openaction_js())})
    assert res.json()["status"] == "refused"
    assert [p["code"] for p in res.json()["problems"]] == ["pdf_javascript"]


def test_where_configured_a_neutralised_copy_is_filed_and_the_original_kept(bearer, settings):
    settings.YUNTING_PDF_ACTIVE_CONTENT = "neutralise"
    original = hostile.openaction_js()
    res = bearer("plaintiff").post("/api/v1/filings/uploads", {"file": SimpleUploadedFile("a.pdf", original)})
    body = res.json()
    assert body["status"] == "accepted", body
    upload = Upload.objects.get(pk=body["upload_id"])
    sha = hashlib.sha256(original).hexdigest()
    assert upload.document_id != sha  # the copy is the document
    assert b"JavaScript" not in blob_read(upload.document_id)
    [note] = [n for n in upload.notes if n["code"] == "pdf_neutralised"]
    assert note["data"] == {"removed": ["JS"], "original": sha}
    assert list(upload.parts.values_list("blob_id", flat=True)) == [sha]  # the original stays with the upload
    assert Blob.objects.filter(pk=sha).exists()

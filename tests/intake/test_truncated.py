"""Issue 19: a truncated PDF was accepted as evidence ("共 1 页"), passed acceptance into the e-file and then
could not be shown. Now an upload of one is refused, saying it was cut off, and nothing of it is kept."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.hostile import corpus as hostile
from yunting.kernel.blobs.models import Blob

pytestmark = pytest.mark.django_db


def test_a_truncated_pdf_upload_is_refused(bearer):
    data = hostile.truncated_pdf(0.8)
    with translation.override("zh-hans"):
        res = bearer("plaintiff").post("/api/v1/filings/uploads", {"file": SimpleUploadedFile("借条.pdf", data)},
                                       HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = res.json()
    assert res.status_code == 201 and body["status"] == "refused", body
    assert [p["code"] for p in body["problems"]] == ["pdf_truncated"]
    assert "不完整" in body["problems"][0]["message"] and "截断" in body["problems"][0]["message"]
    assert body.get("page_count") in (None, 0)
    assert not Blob.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists()


def test_the_whole_pdf_is_accepted(bearer):
    """The same document, complete, passes: the refusal is about the cut, not the document."""
    res = bearer("plaintiff").post("/api/v1/filings/uploads",
                                   {"file": SimpleUploadedFile("借条.pdf", hostile.text_pdf())})
    assert res.status_code == 201 and res.json()["status"] == "accepted", res.json()

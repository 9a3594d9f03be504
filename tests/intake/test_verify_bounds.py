"""The public verification pages read a visitor's PDF (pyHanko, in the request): the intake's work bounds are
checked first, in the sandbox, so a decompression bomb is answered with the limit it passed and never parsed in
the web process; an ordinary PDF is still verified."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.hostile import corpus as hostile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", ["/verify/", "/papers/verify/"])
def test_a_bomb_is_refused_naming_the_limit(route, client, monkeypatch):
    import pyhanko.pdf_utils.reader as reader

    parsed = []
    original = reader.PdfFileReader.__init__
    monkeypatch.setattr(reader.PdfFileReader, "__init__",
                        lambda self, *a, **k: parsed.append(1) or original(self, *a, **k))
    res = client.post(route, {"file": SimpleUploadedFile("判决书.pdf", hostile.bomb_1gib())},
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert res.status_code == 400
    assert "64 MB" in res.content.decode() and "解压炸弹" in res.content.decode()
    assert parsed == []  # pyHanko never saw it


@pytest.mark.parametrize("route", ["/verify/", "/papers/verify/"])
def test_an_ordinary_pdf_is_still_read(route, client):
    res = client.post(route, {"file": SimpleUploadedFile("a.pdf", hostile.text_pdf())})
    assert res.status_code == 200

"""Evidence uploads on the filing pages are checked by content: a scan too coarse to read is refused with the page
and its dpi, a blank page is pointed out, a phone photo of paper becomes a straight PDF page (the photo is kept and
can be downloaded by whoever may see the filing), several photos of one paper document become one PDF, and a
screenshot stays an image. What the check found is shown next to each document, to the filer and the officer."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tests.scan import samples
from yunting.core.efile.models import Document
from yunting.kernel.blobs.store import blob_read
from yunting.kernel.pdf.make import simple_pdf
from yunting.workflows.filing.models import Filing, FilingDocument

from .test_web import FORM, _png

pytestmark = [pytest.mark.django_db]


@pytest.fixture(scope="module")
def photos():
    """Two phone photos of two different sheets (12 MP JPEGs, taken at an angle, stored sideways with EXIF)."""
    return [samples.photo_of(samples.page_image(seed=1), seed=3), samples.photo_of(samples.page_image(seed=2), seed=4)]


def _draft(client) -> Filing:
    assert client.post("/filing/new/").status_code == 302
    return Filing.objects.latest("id")


def _upload(client, filing, *files, title="借条", follow=False):
    """Post the upload the way the page does: the form's fields with it, the chosen file(s) under `file`."""
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(f"/filing/{filing.pk}/documents/", {**FORM, "title": title, "kind": "evidence",
                                                           "file": uploads}, follow=follow)


def _note_html(html: str, code: str) -> str:
    start = html.rindex("<div", 0, html.index(f'data-code="{code}"'))
    return html[start: html.index("</div>", start)]


def test_the_page_takes_several_files_and_says_what_is_accepted(as_user):
    client = as_user("plaintiff")
    filing = _draft(client)
    html = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    tag = html[html.index('name="file"'):]
    tag = tag[: tag.index(">")]
    assert "multiple" in tag and "application/pdf" in tag and "image/jpeg" in tag and 'form="filing-form"' not in tag
    assert 'form="filing-form" type="file" name="file"' in html  # the input still belongs to the filing form
    assert f'formaction="/filing/{filing.pk}/documents/" formenctype="multipart/form-data"' in html
    help_text = html[html.index('data-testid="upload-help"'):]
    help_text = help_text[: help_text.index("</div>\n      </div>")]
    assert "150 dpi" in help_text and "MB" in help_text and "500" in help_text and "720" in help_text


def test_a_coarse_scan_is_refused_naming_each_page_and_its_dpi(as_user):
    client = as_user("plaintiff")
    filing = _draft(client)
    good, low = samples.page_image(1654, 2339), samples.page_image(600, 850)  # the second is about 73 dpi
    res = _upload(client, filing, ("起诉状扫描.pdf", samples.scanned_pdf([good, low, low])), title="起诉状扫描件",
                  follow=True)
    html = res.content.decode()
    refusal = html[html.index("alert-danger"):]
    refusal = refusal[: refusal.index("</div>")]
    assert "“起诉状扫描件”" in refusal  # which upload was refused
    assert "第 2 页分辨率约 73 dpi，扫描件应不低于 150 dpi" in refusal
    assert "第 3 页分辨率约 73 dpi" in refusal  # every problem, not only the first
    assert not FilingDocument.objects.filter(filing=filing).exists()
    filing.refresh_from_db()
    assert filing.payload["facts"] == FORM["facts"]  # what was typed is kept all the same


def test_a_blank_page_is_accepted_with_a_warning_on_the_page(as_user):
    client = as_user("plaintiff")
    filing = _draft(client)
    res = _upload(client, filing, ("证据目录.pdf", samples.pdf_with_pages(["text", "blank", "text"])))
    assert res.status_code == 302
    doc = filing.documents.get()
    assert doc.page_count == 3 and [n["code"] for n in doc.notes] == ["blank_pages"]
    html = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    note = _note_html(html, "blank_pages")
    assert "bg-warning-subtle" in note and "第 2 页似为空白页" in note
    assert 'data-testid="document-pages"' in html and "3" in html[html.index('data-testid="document-pages"'):][:80]
    assert 'data-testid="document-source"' not in html  # no photo to go back to


def test_a_photo_of_paper_becomes_a_straight_pdf_and_keeps_the_photo(as_user, photos):
    client = as_user("plaintiff")
    filing = _draft(client)
    photo = photos[0]
    assert _upload(client, filing, ("IMG_0001.jpg", photo)).status_code == 302
    doc = filing.documents.select_related("blob", "source_blob").get()
    assert doc.blob.mime_type == "application/pdf" and doc.page_count == 1
    assert doc.source_blob_id == hashlib.sha256(photo).hexdigest() and doc.source_blob.mime_type == "image/jpeg"
    assert len(PdfReader(io.BytesIO(blob_read(doc.blob_id))).pages) == 1
    assert [n["code"] for n in doc.notes] == ["photo_straightened"]

    html = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    assert "已由 1 张照片生成 PDF" in _note_html(html, "photo_straightened")
    original = f"/filing/{filing.pk}/documents/{doc.pk}/original"
    assert f'href="{original}" data-testid="document-source"' in html
    res = client.get(original)
    assert res.status_code == 200 and res["Content-Type"] == "image/jpeg"
    assert b"".join(res.streaming_content) == photo and "IMG_0001.jpg" in res["Content-Disposition"]
    res = client.get(f"/filing/{filing.pk}/documents/{doc.pk}/content")
    assert res["Content-Type"] == "application/pdf" and "IMG_0001.pdf" in res["Content-Disposition"]

    # a draft's photo is the filer's alone; submitted, the court's filing officer sees the checks and the photo
    for who in ("defendant", "filing_officer"):
        assert as_user(who).get(original).status_code == 404
    assert as_user("plaintiff").post(f"/filing/{filing.pk}/submit/", FORM).status_code == 302
    for who in ("defendant", "judge", "lawyer"):
        assert as_user(who).get(original).status_code == 404
    officer = as_user("filing_officer")
    assert officer.get(original).status_code == 200
    html = officer.get(f"/filing/{filing.pk}/").content.decode()
    assert "已由 1 张照片生成 PDF" in html and f'href="{original}"' in html
    # a document not made from a photo has no original to download
    generated = filing.documents.filter(source_blob=None).first()
    assert officer.get(f"/filing/{filing.pk}/documents/{generated.pk}/original").status_code == 404


def test_two_photos_chosen_together_make_one_two_page_pdf(as_user, photos):
    client = as_user("plaintiff")
    filing = _draft(client)
    res = _upload(client, filing, ("第1页.jpg", photos[0]), ("第2页.jpg", photos[1]), title="借款合同", follow=True)
    assert "已上传" in res.content.decode() or "Uploaded" in res.content.decode()
    doc = filing.documents.select_related("blob").get()
    assert doc.title == "借款合同" and doc.blob.mime_type == "application/pdf" and doc.page_count == 2
    assert len(PdfReader(io.BytesIO(blob_read(doc.blob_id))).pages) == 2
    assert doc.source_blob_id == hashlib.sha256(photos[0]).hexdigest()
    assert doc.notes[0]["data"] == {"pages": 2, "paper_found": 2,  # every original photo stays referenced
                                    "sources": [hashlib.sha256(p).hexdigest() for p in photos[:2]]}
    html = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    assert "已由 2 张照片生成 PDF，其中 2 张识别出纸张边缘并已矫正" in html


def test_a_photo_and_a_pdf_together_are_refused(as_user, photos):
    client = as_user("plaintiff")
    filing = _draft(client)
    res = _upload(client, filing, ("第1页.jpg", photos[0]), ("借条.pdf", simple_pdf(title="借条")), follow=True)
    html = res.content.decode()
    assert "只有照片可以合并为一份材料（第 2 个文件不是照片）" in html and "借条.pdf" in html
    assert not FilingDocument.objects.filter(filing=filing).exists()


def test_a_screenshot_is_kept_as_an_image(as_user):
    client = as_user("plaintiff")
    filing = _draft(client)
    assert _upload(client, filing, ("转账截图.png", _png()), title="转账记录").status_code == 302
    doc = filing.documents.select_related("blob").get()
    assert doc.blob.mime_type == "image/png" and doc.source_blob_id is None and doc.page_count is None
    assert doc.notes == []
    html = client.get(f"/filing/{filing.pk}/edit/").content.decode()
    assert 'data-testid="document-checks"' not in html


def test_acceptance_carries_the_checked_page_count_into_the_efile(users, payload):
    """The e-file takes the page count the upload check stored, without opening the PDF again: a count that
    differs from the file's proves which one was used."""
    from yunting.workflows.filing.acceptance import filing_accept
    from yunting.workflows.filing.services import (
        filing_add_document,
        filing_save_draft,
        filing_submit,
    )

    plaintiff = users["plaintiff"]
    filing = filing_save_draft(filer=plaintiff, data=payload())
    upload = filing_add_document(filing=filing, actor=plaintiff, stream=io.BytesIO(samples.text_pdf(pages=3)),
                                 title="借款合同", kind="evidence", filename="合同.pdf")
    doc = FilingDocument.objects.get(upload=upload)  # checked (tests run jobs at once) and attached
    assert doc.page_count == len(PdfReader(io.BytesIO(blob_read(doc.blob_id))).pages)
    FilingDocument.objects.filter(pk=doc.pk).update(page_count=doc.page_count + 4)
    filing = filing_submit(filing=filing, actor=plaintiff)
    case = filing_accept(filing=filing, actor=users["filing_officer"], notify=False)
    recorded = Document.objects.get(case=case, blob_id=doc.blob_id)
    assert recorded.page_count == doc.page_count + 4 == FilingDocument.objects.get(pk=doc.pk).page_count

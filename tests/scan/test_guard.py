"""Issue 9 §2/§4 and issue 19 at the level of the checks: bounded work (each limit refused by name), polyglots,
active content, truncated and damaged PDFs — and the look-alikes that must still pass."""

from __future__ import annotations

import io
import tracemalloc
import zlib

import pytest
from django.utils import translation

from tests.documents.conftest import court_pki  # noqa: F401, F811  (the fixture)
from tests.hostile import corpus as hostile
from yunting.kernel.blobs.sniff import ALLOWED_MIME_TYPES, sniff_mime
from yunting.kernel.scan import FindingCode, inspect_document

PDF = "application/pdf"
CORPUS = hostile.corpus()


def check(data: bytes):
    return inspect_document(data, sniff_mime(data[:8192]), max_text_pages=0)


def codes(result) -> set[str]:
    return {str(p.code) for p in result.problems}


@pytest.mark.parametrize(("name", "data", "acceptable"), CORPUS, ids=[c[0] for c in CORPUS])
def test_every_hostile_sample_is_refused(name, data, acceptable):
    mime = sniff_mime(data[:8192])
    if mime not in ALLOWED_MIME_TYPES or mime == "application/zip":
        assert "upload_type" in acceptable, (name, mime)
        return
    result = check(data)
    assert codes(result) & acceptable, (name, codes(result))
    assert all(p.message for p in result.problems)


@pytest.mark.parametrize(("name", "data"), hostile.benign(), ids=[b[0] for b in hostile.benign()])
def test_look_alikes_pass(name, data):
    result = check(data)
    assert result.ok, (name, [p.message for p in result.problems])
    assert result.pages >= 1


# --- bounded work ---------------------------------------------------------------------------------------------
def test_a_1mb_pdf_inflating_to_1gib_is_refused_with_bounded_memory():
    data = hostile.bomb_1gib()
    assert len(data) < 1.5 * 1024 * 1024
    tracemalloc.start()
    try:
        result = check(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(result) == {"pdf_stream_too_large"}
    assert "64 MB" in result.problems[0].message  # names the limit
    assert result.problems[0].data["setting"] == "YUNTING_PDF_MAX_STREAM_MB"
    assert peak < 3 * len(data) + 16 * 1024 * 1024, peak  # the file, a few 1 MB chunks: never the inflated stream


def test_the_stream_limit_is_a_setting(settings):
    data = hostile.one_page(more=[hostile.stream(hostile.deflate_zeros(5), b"/Filter /FlateDecode ")])
    assert check(data).ok
    settings.YUNTING_PDF_MAX_STREAM_MB = 4
    [problem] = check(data).problems
    assert problem.code == FindingCode.PDF_STREAM_TOO_LARGE and "4 MB" in problem.message


def test_the_total_inflated_limit_counts_all_streams(settings):
    settings.YUNTING_PDF_MAX_RATIO = 0  # off: the absolute total alone
    settings.YUNTING_PDF_MAX_INFLATED_MB = 12
    settings.YUNTING_PDF_MAX_STREAM_MB = 5
    four = [hostile.stream(hostile.deflate_zeros(4), b"/Filter /FlateDecode ") for _ in range(4)]
    [problem] = check(hostile.one_page(more=four)).problems
    assert problem.code == FindingCode.PDF_DECOMPRESSION_BOMB and "12 MB" in problem.message
    assert check(hostile.one_page(more=four[:2])).ok


def test_the_compression_ratio_limit(settings):
    settings.YUNTING_PDF_MAX_RATIO = 100
    data = hostile.one_page(more=[hostile.stream(hostile.deflate_zeros(40), b"/Filter /FlateDecode ")])
    [problem] = check(data).problems  # 40 MB from ~40 KB: a ratio near 1000
    assert problem.code == FindingCode.PDF_DECOMPRESSION_BOMB and "100" in problem.message
    assert problem.data["setting"] == "YUNTING_PDF_MAX_RATIO"
    settings.YUNTING_PDF_MAX_RATIO = 0
    assert check(data).ok


def test_the_object_limit(settings):
    settings.YUNTING_PDF_MAX_OBJECTS = 50
    [problem] = check(hostile.one_page(more=[b"null"] * 60)).problems
    assert problem.code == FindingCode.PDF_TOO_MANY_OBJECTS and "50" in problem.message
    assert check(hostile.one_page(more=[b"null"] * 30)).ok


def test_objects_inside_object_streams_count(settings):
    import pikepdf

    refs = b" ".join(b"%d 0 R" % (5 + i) for i in range(60))
    source = hostile.one_page(more=[b"<< /A %d >>" % i for i in range(60)], page_extra=b"/X [" + refs + b"] ")
    with pikepdf.open(io.BytesIO(source)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    settings.YUNTING_PDF_MAX_OBJECTS = 50
    assert codes(check(out.getvalue())) == {"pdf_too_many_objects"}


def test_image_pixels_are_limited_for_uploaded_images(settings):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (1300, 1800), 255).save(buf, "PNG")
    settings.YUNTING_IMAGE_MAX_PIXELS = 2_000_000
    [problem] = check(buf.getvalue()).problems
    assert problem.code == FindingCode.IMAGE_TOO_LARGE
    assert "1300×1800" in problem.message and "2 million" in problem.message


def test_image_pixels_are_limited_inside_pdfs():
    [problem] = check(hostile.image_bomb_pdf()).problems
    assert problem.code == FindingCode.PDF_IMAGE_TOO_LARGE and problem.page == 1
    assert "30000×30000" in problem.message and "180 million" in problem.message


# --- polyglots and sniffing -----------------------------------------------------------------------------------
def test_sniffing_does_not_call_a_zip_a_pdf():
    data = hostile.zip_with_pdf_first()
    assert b"%PDF-" in data[:1024]
    assert sniff_mime(data[:8192]) == "application/zip"
    assert sniff_mime(hostile.one_page()[:8192]) == PDF
    assert sniff_mime(b"\n\r " + hostile.one_page()[:8192]) == PDF


@pytest.mark.parametrize(("make", "where", "kind"), [
    (hostile.html_then_pdf, "before", "HTML"),
    (hostile.pdf_then_html, "after", "HTML"),
    (hostile.pdf_then_zip, "after", "ZIP"),
    (hostile.zip_inside_pdf, "inside", "ZIP"),
])
def test_polyglots_are_refused_naming_the_other_format(make, where, kind):
    [problem] = check(make()).problems
    assert problem.code == FindingCode.PDF_POLYGLOT
    assert problem.data == {"where": where, "kind": kind} and kind in problem.message


# --- active content -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("make", "code"), [
    (hostile.openaction_js, "pdf_javascript"),
    (hostile.names_js, "pdf_javascript"),
    (hostile.hex_escaped_js, "pdf_javascript"),
    (hostile.annotation_js, "pdf_javascript"),
    (hostile.js_in_object_stream, "pdf_javascript"),
    (hostile.launch_action, "pdf_launch"),
    (hostile.embedded_file, "pdf_embedded_file"),
    (hostile.file_attachment_annotation, "pdf_embedded_file"),
    (hostile.xfa_form, "pdf_xfa"),
    (hostile.submit_form, "pdf_active_content"),
])
def test_active_content_is_refused(make, code):
    result = check(make())
    assert code in codes(result)
    assert not result.pages


def test_javascript_hidden_in_an_object_stream_is_not_in_the_raw_bytes():
    assert b"JavaScript" not in hostile.js_in_object_stream()


# --- truncated and damaged (issue 19) -------------------------------------------------------------------------
@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.7, 0.9, 0.97, 0.99, 0.999])
def test_a_truncated_pdf_is_refused(fraction):
    result = check(hostile.truncated_pdf(fraction))
    assert codes(result) & {"pdf_truncated", "pdf_unreadable"}, fraction
    assert result.pages == 0  # never "共 1 页"


def test_truncated_pdf_says_what_happened():
    [problem] = check(hostile.truncated_pdf(0.7)).problems
    assert problem.code == FindingCode.PDF_TRUNCATED and "cut off" in problem.message


def test_a_damaged_stream_is_refused_even_with_an_intact_end():
    content = zlib.compress(bytes(range(256)) * 2000)
    broken = content[: len(content) // 2]  # the compressed data cut short, the PDF around it whole
    data = hostile.pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>",
        hostile.stream(broken, b"/Filter /FlateDecode ")])
    assert codes(check(data)) == {"pdf_damaged"}


def test_a_page_whose_content_is_lost_is_refused():
    data = hostile.pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 9 0 R >>"])
    result = check(data)
    assert codes(result) == {"pdf_page_unreadable"} and result.problems[0].page == 1


def test_a_wrong_cross_reference_is_repaired_without_loss_and_accepted():
    data = hostile.one_page()
    at = data.rindex(b"startxref\n") + len(b"startxref\n")
    end = data.index(b"\n", at)
    wrong = data[:at] + str(int(data[at:end]) + 7).encode() + data[end:]
    result = check(wrong)
    assert result.ok and result.pages == 1


@pytest.mark.django_db
def test_the_platforms_own_signed_pdfs_pass(court_pki):  # noqa: F811
    """Incremental updates with PAdES signatures (three revisions) are whole PDFs, not polyglots or damage."""
    from tests.documents.test_signing import sign_all
    from yunting.kernel.documents.render import render_pdf
    from yunting.kernel.documents.samples import SAMPLES

    rendered = render_pdf("withdrawal_ruling", SAMPLES["withdrawal_ruling"]).pdf
    signed = sign_all(rendered, court_pki)
    assert signed.count(b"%%EOF") >= 4
    for data in (rendered, signed):
        result = check(data)
        assert result.ok, [p.message for p in result.problems]


# --- wording --------------------------------------------------------------------------------------------------
def test_refusals_are_in_chinese_first():
    with translation.override("zh-hans"):
        messages = [p.message for make in (hostile.bomb_1gib, hostile.openaction_js, hostile.html_then_pdf,
                                           lambda: hostile.truncated_pdf(0.7), hostile.embedded_file)
                    for p in check(make()).problems]
    assert len(messages) == 5
    for message in messages:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


# --- neutralising (YUNTING_PDF_ACTIVE_CONTENT=neutralise) -----------------------------------------------------
ACTIVE = [(name, make) for name, make, acceptable in hostile.samples()
          if acceptable & {"pdf_javascript", "pdf_launch", "pdf_embedded_file", "pdf_xfa", "pdf_active_content"}]


@pytest.mark.parametrize(("name", "make"), ACTIVE, ids=[a[0] for a in ACTIVE])
def test_a_neutralised_copy_has_no_active_content_and_passes(name, make):
    from yunting.kernel.scan import pdfguard

    copy = pdfguard.neutralise(make())
    result = check(copy)
    assert result.ok and result.pages == 1, (name, [p.message for p in result.problems])
    assert b"JavaScript" not in copy and b"/Launch" not in copy and b"EmbeddedFile" not in copy


def test_neutralising_keeps_links_and_destinations():
    import pikepdf

    from yunting.kernel.scan import pdfguard

    data = hostile.one_page(catalog_extra=b"/OpenAction [3 0 R /Fit] ", page_extra=b"/Annots [5 0 R] ", more=[
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /URI /URI (https://court.example/) >> "
        b"/AA << /E << /S /JavaScript /JS (x) >> >> >>"])
    with pikepdf.open(io.BytesIO(pdfguard.neutralise(data))) as pdf:
        assert isinstance(pdf.Root.OpenAction, pikepdf.Array)
        [link] = pdf.pages[0].obj.Annots
        assert str(link.A.URI) == "https://court.example/" and "/AA" not in link


def test_a_108_megapixel_phone_photo_is_not_refused_for_its_size():
    """Phones take 108 MP photos; the default limit lets them through (its header is all this reads)."""
    data = hostile.jpeg_bomb(width=12_000, height=9_000)
    assert "image_too_large" not in codes(check(data))
    assert "image_too_large" in codes(check(hostile.jpeg_bomb(width=15_000, height=13_000)))

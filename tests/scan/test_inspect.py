"""inspect_document on generated PDFs and images: what is refused, what is only pointed out, and why."""

import io
import os

import pytest
from django.utils import translation
from PIL import Image

from tests.scan import samples
from yunting.kernel.scan import FindingCode, inspect_document

PDF = "application/pdf"


def codes(findings):
    return [f.code for f in findings]


def test_text_pdf_passes_with_its_text():
    result = inspect_document(samples.text_pdf(pages=2), PDF)
    assert result.ok and result.pages == 2
    assert result.problems == [] and result.warnings == []
    assert "民事起诉状" in result.text


def test_text_extraction_can_be_left_out():
    result = inspect_document(samples.text_pdf(), PDF, max_text_pages=0)
    assert result.ok and result.pages == 1 and result.text == ""


def test_blank_middle_page_is_a_warning_naming_the_page():
    result = inspect_document(samples.pdf_with_pages(["text", "blank", "rule", "blank", "blank"]), PDF)
    assert result.ok
    [warning] = result.warnings
    assert warning.code == FindingCode.BLANK_PAGES
    assert warning.data == {"pages": [2, 4, 5]}
    assert "2" in warning.message and "4-5" in warning.message


def test_single_blank_page_warning_has_the_page():
    [warning] = inspect_document(samples.pdf_with_pages(["text", "blank"]), PDF).warnings
    assert warning.page == 2 and warning.message.startswith("Page 2 ")


def test_all_blank_pdf_is_refused():
    result = inspect_document(samples.pdf_with_pages(["blank", "blank"]), PDF)
    assert codes(result.problems) == [FindingCode.PDF_ALL_BLANK]
    assert result.warnings == []


def test_password_protected_pdf_is_refused():
    result = inspect_document(samples.encrypted_pdf(user_password="123456"), PDF)
    assert codes(result.problems) == [FindingCode.PDF_PASSWORD_PROTECTED]
    assert "password" in result.problems[0].message


def test_pdf_with_permission_restrictions_is_refused_but_still_counted():
    result = inspect_document(samples.encrypted_pdf(user_password=""), PDF)
    assert codes(result.problems) == [FindingCode.PDF_ENCRYPTED]
    assert result.pages == 1


@pytest.mark.parametrize(("data", "code"), [
    (b"%PDF-1.7\n" + os.urandom(4000), FindingCode.PDF_UNREADABLE),
    (samples.text_pdf()[:1500], FindingCode.PDF_TRUNCATED),  # issue 19: see tests/scan/test_structure.py
    (b"", FindingCode.PDF_UNREADABLE),
])
def test_corrupt_pdf_is_refused(data, code):
    result = inspect_document(data, PDF)
    assert codes(result.problems) == [code]
    assert result.pages == 0


def test_page_limit_comes_from_settings(settings):
    settings.YUNTING_MAX_DOCUMENT_PAGES = 2
    result = inspect_document(samples.text_pdf(pages=3), PDF)
    [problem] = result.problems
    assert problem.code == FindingCode.PDF_TOO_MANY_PAGES
    assert problem.data == {"pages": 3, "max": 2}
    assert "3 pages" in problem.message and "at most 2" in problem.message


def test_low_resolution_scan_is_refused_with_page_and_dpi():
    good = samples.page_image(1654, 2339)
    low = samples.page_image(600, 850)  # 600 px across 8.27 in of A4: about 73 dpi
    result = inspect_document(samples.scanned_pdf([good, low]), PDF)
    [problem] = result.problems
    assert problem.code == FindingCode.SCAN_LOW_RESOLUTION
    assert problem.page == 2
    assert problem.data == {"dpi": 73, "min_dpi": 150}
    assert "Page 2" in problem.message and "73 dpi" in problem.message and "150 dpi" in problem.message


@pytest.mark.parametrize("jpeg", [True, False])
def test_200_dpi_scan_passes(jpeg):
    result = inspect_document(samples.scanned_pdf([samples.page_image(1654, 2339)], jpeg=jpeg), PDF)
    assert result.ok and result.warnings == [] and result.pages == 1


def test_minimum_dpi_comes_from_settings(settings):
    settings.YUNTING_MIN_SCAN_DPI = 250
    result = inspect_document(samples.scanned_pdf([samples.page_image(1654, 2339)]), PDF)
    assert [(f.code, f.data["dpi"]) for f in result.problems] == [(FindingCode.SCAN_LOW_RESOLUTION, 200)]


def test_many_low_pages_are_summed_up():
    low = samples.page_image(600, 850)
    result = inspect_document(samples.scanned_pdf([low] * 8), PDF)
    assert [f.page for f in result.problems] == [1, 2, 3, 4, 5, None]
    assert result.problems[-1].data["pages"] == [6, 7, 8]
    assert "6-8" in result.problems[-1].message


def test_blank_scanned_page_is_found_from_its_pixels():
    pages = [samples.page_image(1654, 2339), samples.scanned_blank(1654, 2339), samples.one_line_scan()]
    result = inspect_document(samples.scanned_pdf(pages), PDF)
    assert result.ok
    assert [(f.code, f.data["pages"]) for f in result.warnings] == [(FindingCode.BLANK_PAGES, [2])]


def test_other_types_are_not_inspected():
    result = inspect_document(b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    assert result.ok and result.pages == 0 and result.warnings == []


def test_good_photo_of_a_document_passes():
    for fmt in ("JPEG", "PNG"):
        result = inspect_document(samples.image_bytes(samples.page_image(1654, 2339), fmt), f"image/{fmt.lower()}")
        assert result.ok and result.pages == 1


def test_tiny_image_is_refused_with_its_size(settings):
    settings.YUNTING_MIN_IMAGE_SHORT_SIDE_PX = 1240
    result = inspect_document(samples.image_bytes(samples.page_image(400, 566)), "image/png")
    [problem] = result.problems
    assert problem.code == FindingCode.IMAGE_LOW_RESOLUTION
    assert "400×566" in problem.message and "1240" in problem.message


def test_messages_are_chinese_by_default(settings):
    settings.YUNTING_MIN_IMAGE_SHORT_SIDE_PX = 720
    with translation.override("zh-hans"):
        [problem] = inspect_document(samples.image_bytes(samples.page_image(400, 566)), "image/png").problems
    assert problem.message.startswith("图片为 400×566 像素") and "720 像素" in problem.message


def test_image_size_limit_comes_from_settings(settings):
    settings.YUNTING_MIN_IMAGE_SHORT_SIDE_PX = 300
    assert inspect_document(samples.image_bytes(samples.page_image(400, 566)), "image/png").ok


def test_uniform_white_image_is_refused():
    white = samples.image_bytes(samples.page_image(1654, 2339, lines=False), "JPEG")
    assert codes(inspect_document(white, "image/jpeg").problems) == [FindingCode.IMAGE_BLANK]


def test_broken_image_is_refused():
    import weasyprint  # noqa: F401  (it makes Pillow accept truncated images process-wide; we must not)

    data = samples.image_bytes(samples.page_image(1654, 2339))[:2000]
    assert codes(inspect_document(data, "image/png").problems) == [FindingCode.IMAGE_UNREADABLE]


def test_multipage_tiff_is_checked_page_by_page():
    frames = [Image.fromarray(samples.page_image(1654, 2339)), Image.fromarray(samples.scanned_blank(1654, 2339))]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    result = inspect_document(buf.getvalue(), "image/tiff")
    assert result.pages == 2
    assert [(f.code, f.page) for f in result.problems] == [(FindingCode.IMAGE_BLANK, 2)]


def test_scan_inside_a_form_under_an_ocr_layer_is_still_measured():
    result = inspect_document(samples.ocr_scan_pdf(samples.page_image(600, 850)), PDF)
    assert [(f.code, f.page, f.data["dpi"]) for f in result.problems] == [(FindingCode.SCAN_LOW_RESOLUTION, 1, 73)]
    assert "民事起诉状" in result.text
    assert inspect_document(samples.ocr_scan_pdf(samples.page_image(1654, 2339)), PDF).ok


FAST_PATH_SAMPLES = {
    "text": lambda: samples.text_pdf(),
    "text, 3 pages": lambda: samples.text_pdf(pages=3),
    "blank middle page": lambda: samples.pdf_with_pages(["text", "blank", "text"]),
    "rule only": lambda: samples.pdf_with_pages(["rule"]),
    "all blank": lambda: samples.pdf_with_pages(["blank", "blank"]),
    "password": lambda: samples.encrypted_pdf(user_password="secret"),
    "restrictions": lambda: samples.encrypted_pdf(user_password=""),
    "corrupt": lambda: samples.text_pdf()[:1500],
    "low-dpi scan": lambda: samples.scanned_pdf([samples.page_image(600, 850)]),
    "200-dpi scan": lambda: samples.scanned_pdf([samples.page_image(1654, 2339)]),
    "ocr scan": lambda: samples.ocr_scan_pdf(samples.page_image(600, 850)),
}


@pytest.mark.parametrize("name", FAST_PATH_SAMPLES)
def test_without_text_the_same_findings_come_out(name, settings):
    """Batches inspect without text extraction, taking qpdf's fast path for plain born-digital PDFs: whatever
    the path, the findings are those of the full inspection."""
    data = FAST_PATH_SAMPLES[name]()
    full, quick = inspect_document(data, PDF), inspect_document(data, PDF, max_text_pages=0)
    assert (codes(quick.problems), codes(quick.warnings), quick.pages) == (
        codes(full.problems), codes(full.warnings), full.pages)
    assert quick.text == ""


def test_the_fast_path_takes_only_plain_born_digital_pdfs(settings):
    from yunting.kernel.scan.inspect import _born_digital_pages

    assert _born_digital_pages(samples.text_pdf(pages=3)) == 3
    assert _born_digital_pages(samples.pdf_with_pages(["text", "rule"])) == 2
    for name in ("blank middle page", "all blank", "password", "restrictions", "corrupt", "low-dpi scan"):
        assert _born_digital_pages(FAST_PATH_SAMPLES[name]()) is None, name
    settings.YUNTING_MAX_DOCUMENT_PAGES = 2
    assert _born_digital_pages(samples.text_pdf(pages=3)) is None  # over the limit: the full path says so

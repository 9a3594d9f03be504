"""kernel.ocr on real pixels: skew measured and undone, blank pages told apart, QR codes read back, and the
searchable PDF's invisible text found by pdftotext with its font embedded."""

from __future__ import annotations

import subprocess

import pytest
from django.core import signing

from yunting.kernel.ocr import (
    OcrLine,
    OcrPage,
    ScannedPage,
    deskew,
    find_qr,
    is_blank,
    searchable_pdf,
    skew_angle,
)
from yunting.workflows.scanning.cover import QR_PREFIX, cover_token, cover_token_read

from .samples import blank_page, text_page


@pytest.mark.parametrize("angle", [-4.0, -1.5, 0.0, 2.5])
def test_skew_is_measured_and_undone(angle):
    page = text_page(["民事起诉状", "原告张伟诉被告李娜", "民间借贷纠纷一案"], angle=angle)
    assert abs(skew_angle(page) - angle) <= 0.5
    straight, corrected = deskew(page)
    assert abs(skew_angle(straight)) <= 0.5
    assert abs(corrected - angle) <= 0.5


def test_blank_page_is_told_from_a_page_with_one_line():
    assert is_blank(blank_page())
    assert not is_blank(text_page(["此页无正文"]))


def test_searchable_pdf_text_is_found_by_pdftotext_and_its_font_is_embedded():
    from yunting.kernel.ocr import ocr_image

    page = text_page(["送达回证", "受送达人王芳", "送达文书传票"])
    ocr = ocr_image(page)
    assert "受送达人王芳" in ocr.text.replace(" ", "") and ocr.confidence > 0.9
    pdf = searchable_pdf([ScannedPage(image=page, dpi=200, ocr=ocr)], title="送达回证")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "受送达人王芳" in text.replace(" ", "")
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    if not fonts:  # pdffonts reads files only
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
            fh.write(pdf)
            fh.flush()
            fonts = subprocess.run(["pdffonts", fh.name], capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("yes" == row[-5] for row in rows), fonts  # the "emb" column of every font


def test_text_layer_without_ocr_lines_is_just_the_image():
    pdf = searchable_pdf([ScannedPage(image=text_page(["x"]), dpi=200, ocr=OcrPage(lines=[
        OcrLine(text="𠀀", box=[[0, 0], [10, 0], [10, 10], [0, 10]], score=0.9)]))])  # outside the font: left out
    assert pdf.startswith(b"%PDF")


def test_cover_token_round_trip_and_tampering(db):
    token = cover_token(42)
    assert cover_token_read(token) == 42
    assert cover_token_read(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    assert cover_token_read(QR_PREFIX + signing.dumps({"s": 43}, salt="another")) is None
    assert cover_token_read("https://example.com/42") is None


def test_cover_sheet_qr_round_trip(make_case, cover):
    """The printed cover sheet, rendered as a 200 dpi scan, gives back its own sheet."""
    case = make_case()
    sheet, image = cover(case, kind="defence", title="答辩状", pages=2)
    assert cover_token_read(find_qr(image)) == sheet.pk
    assert not find_qr(text_page(["民事答辩状"]))

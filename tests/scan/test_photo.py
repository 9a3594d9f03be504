"""photo_to_pdf on synthetic phone photos of a known sheet: corners found, page straight, A4 PDF out."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from tests.scan import samples
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.scan import inspect_document, photo_to_pdf, photos_to_pdf


@pytest.fixture(scope="module")
def page():
    return samples.page_image()


@pytest.fixture(scope="module")
def photo(page):
    return samples.photo_of(page)


@pytest.fixture(scope="module")
def result(photo):
    return photo_to_pdf(photo)


def likeness(image: Image.Image, page: np.ndarray) -> float:
    """Correlation of the straightened picture with the sheet that was photographed (grey, same size)."""
    h, w = page.shape[:2]
    got = np.asarray(image.convert("L").resize((w, h), Image.Resampling.BILINEAR), dtype=np.float64)
    want = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY).astype(np.float64)
    return float(np.corrcoef(got.ravel(), want.ravel())[0, 1])


def row_peakiness(gray: np.ndarray) -> float:
    """How sharply the rows of text stand out: variance of the change in dark pixels from row to row."""
    ink = (gray < 128).sum(axis=1).astype(np.float64) / gray.shape[1]
    return float(np.var(np.diff(ink)))


def test_exif_orientation_is_applied(result):
    [done] = result.pages
    assert done.orientation == 6 and done.rotated


def test_the_four_corners_are_found(result):
    [done] = result.pages
    assert done.paper_found
    found = np.array(done.corners)
    assert np.abs(found - samples.PHOTO_CORNERS).max() < 12  # pixels, in a 3000×4000 photo


def test_pdf_is_one_a4_page(result):
    reader = PdfReader(io.BytesIO(result.pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=2)
    assert float(box.height) == pytest.approx(841.9, abs=2)
    assert result.pages[0].paper == "A4"
    assert 200 <= result.pages[0].dpi <= 300


def test_page_comes_out_upright_and_rectangular(result, page):
    image = result.pages[0].image
    assert likeness(image, page) > 0.85
    assert likeness(image.rotate(180), page) < 0.5
    gray = np.asarray(image.convert("L"))
    assert row_peakiness(gray) > 5 * row_peakiness(np.asarray(Image.fromarray(gray).rotate(3, fillcolor=255)))


def test_the_pdf_passes_inspection(result):
    assert inspect_document(result.pdf, "application/pdf").ok


def test_without_a_paper_edge_the_whole_photo_is_kept_and_straightened(page):
    result = photo_to_pdf(samples.close_up(page, 4.0))
    [done] = result.pages
    assert not done.paper_found and done.corners is None
    assert done.deskew_degrees == pytest.approx(-4.0, abs=0.5)
    assert done.paper is None
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == 1
    gray = np.asarray(done.image.convert("L"))
    h, w = gray.shape
    middle = gray[h // 6: -h // 6, w // 6: -w // 6]
    before = np.asarray(Image.open(io.BytesIO(samples.close_up(page, 4.0))).convert("L"))
    bh, bw = before.shape
    assert row_peakiness(middle) > 3 * row_peakiness(before[bh // 6: -bh // 6, bw // 6: -bw // 6])


def test_several_photos_make_one_pdf(photo):
    other = samples.page_image(seed=9)
    small = samples.photo_of(other, samples.PHOTO_CORNERS / 2, size=(1500, 2000), orientation=1, seed=4)
    result = photos_to_pdf([photo, small])
    reader = PdfReader(io.BytesIO(result.pdf))
    assert len(reader.pages) == 2
    assert [p.paper for p in result.pages] == ["A4", "A4"]
    assert [p.rotated for p in result.pages] == [True, False]
    assert likeness(result.pages[1].image, other) > 0.85


def test_landscape_sheet_gives_a_landscape_page():
    sheet = np.ascontiguousarray(np.rot90(samples.page_image()))
    corners = np.array([[200, 450], [1300, 500], [1325, 1275], [175, 1250]], dtype=np.float32)
    result = photo_to_pdf(samples.photo_of(sheet, corners, size=(1500, 2000), orientation=1))
    [done] = result.pages
    assert done.paper == "A4 landscape"
    box = PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox
    assert float(box.width) == pytest.approx(841.9, abs=2)
    assert likeness(done.image, sheet) > 0.85


def test_unreadable_photo_is_refused(photo):
    with pytest.raises(ValidationFailed) as caught:
        photos_to_pdf([photo, b"not a picture"])
    assert caught.value.code == "photo_unreadable"
    assert caught.value.data == {"photo": 2}

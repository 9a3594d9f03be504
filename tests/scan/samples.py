"""Realistic inputs made on the spot: text PDFs, scans at known dpi, and phone photos of a known sheet."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from yunting.kernel.pdf.make import _font, simple_pdf

BODY = "诉讼请求：一、判令被告归还借款本金人民币十万元；二、判令被告支付逾期利息。事实与理由：" * 6


def text_pdf(pages: int = 1) -> bytes:
    return simple_pdf(title="民事起诉状", subtitle="原告 张三", body=BODY * pages, pages=pages)


def pdf_with_pages(kinds: list[str]) -> bytes:
    """One page per kind: "text", "blank" (nothing drawn), "rule" (a drawn line only)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for kind in kinds:
        if kind == "text":
            c.setFont(_font(), 12)
            c.drawString(80, 700, "证据目录：借条一份、转账记录一份。")
        elif kind == "rule":
            c.line(80, 400, 500, 400)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(*, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_image(width: int = 1240, height: int = 1754, *, seed: int = 1, lines: bool = True) -> np.ndarray:
    """A white A4-proportioned sheet (RGB) with a title, rows of "characters" and a red seal."""
    rng = np.random.default_rng(seed)
    page = np.full((height, width, 3), 255, np.uint8)
    if not lines:
        return page
    s = width / 1240
    cv2.rectangle(page, (int(420 * s), int(120 * s)), (int(820 * s), int(170 * s)), (20, 20, 20), -1)
    y = int(260 * s)
    while y < height - int(200 * s):
        x = int(140 * s)
        end = width - int(140 * s) - int(rng.integers(0, 500) * s)
        while x < end:
            w = int(rng.integers(18, 30) * s)
            cv2.rectangle(page, (x, y), (x + w, y + int(26 * s)), (25, 25, 25), -1)
            x += w + int(8 * s)
        y += int(60 * s)
    cv2.rectangle(page, (int(100 * s), int(230 * s)), (width - int(100 * s), height - int(150 * s)), (0, 0, 0), 3)
    cv2.circle(page, (int(900 * s), height - int(330 * s)), int(110 * s), (210, 30, 30), max(2, int(8 * s)))
    return page


def scanned_blank(width: int, height: int, *, seed: int = 2) -> np.ndarray:
    """A blank sheet as a scanner sees it: off-white, noisy, a few dust specks, a dark edge."""
    rng = np.random.default_rng(seed)
    page = rng.normal(238, 4, (height, width)).clip(0, 255).astype(np.uint8)
    for _ in range(6):
        x, y = int(rng.integers(100, width - 100)), int(rng.integers(100, height - 100))
        page[y, x] = 40
    page[:, :8] = 30
    return np.dstack([page] * 3)


def image_bytes(rgb: np.ndarray, fmt: str = "PNG", **params) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, fmt, **params)
    return buf.getvalue()


def scanned_pdf(images: list[np.ndarray], *, jpeg: bool = True) -> bytes:
    """Each image drawn over a whole A4 page, the way scanner software makes PDFs."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for rgb in images:
        data = image_bytes(rgb, "JPEG", quality=85) if jpeg else image_bytes(rgb)
        c.drawImage(ImageReader(io.BytesIO(data)), 0, 0, *A4)
        c.showPage()
    c.save()
    return buf.getvalue()


# --- phone photos --------------------------------------------------------------------------------------------

PHOTO_SIZE = (3000, 4000)  # 12 MP, portrait once upright
PHOTO_CORNERS = np.array([[620, 560], [2390, 700], [2510, 3420], [470, 3280]], dtype=np.float32)


def _background(width: int, height: int, rng) -> np.ndarray:
    noise = rng.normal(0, 1, (height // 8, width // 8)).astype(np.float32)
    noise = cv2.GaussianBlur(noise, (0, 0), 3)
    noise = cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)
    base = (85 + 18 * noise / (noise.std() + 1e-6)).clip(0, 255).astype(np.uint8)
    return cv2.merge([base, cv2.convertScaleAbs(base, alpha=0.75), cv2.convertScaleAbs(base, alpha=0.5)])


def photo_of(page: np.ndarray, corners: np.ndarray = PHOTO_CORNERS, *, size=PHOTO_SIZE, seed: int = 3,
             orientation: int = 6) -> bytes:
    """The sheet on a brown desk, seen at an angle, with uneven light, sensor noise and blur; stored sideways
    with an EXIF orientation tag the way phones do (6: turn 90° clockwise to view)."""
    rng = np.random.default_rng(seed)
    width, height = size
    h, w = page.shape[:2]
    source = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
    scene = _background(width, height, rng)
    cv2.warpPerspective(cv2.convertScaleAbs(page, alpha=0.93), matrix, (width, height), dst=scene,
                        flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
    light = np.outer(np.linspace(1.0, 0.85, height // 8), np.linspace(0.7, 1.0, width // 8)).astype(np.float32)
    light = cv2.resize(light, (width, height), interpolation=cv2.INTER_LINEAR)
    scene = cv2.multiply(scene, cv2.merge([light] * 3), dtype=cv2.CV_8U)
    grain = rng.normal(0, 3, (height // 2, width // 2)).astype(np.int16)
    grain = cv2.resize(grain, (width, height), interpolation=cv2.INTER_NEAREST)
    scene = cv2.add(scene, cv2.merge([grain] * 3), dtype=cv2.CV_8U)
    scene = cv2.GaussianBlur(scene, (3, 3), 0)
    stored = np.rot90(scene, k=1) if orientation == 6 else scene  # counter-clockwise: what the sensor saw
    exif = Image.Exif()
    exif[0x0112] = orientation
    return image_bytes(np.ascontiguousarray(stored), "JPEG", quality=90, exif=exif)


def close_up(page: np.ndarray, degrees: float) -> bytes:
    """A photo filled by text only (no sheet edge in view), held a few degrees askew."""
    h, w = page.shape[:2]
    crop = np.ascontiguousarray(page[int(h * 0.2): int(h * 0.6), int(w * 0.05): int(w * 0.95)])
    ch, cw = crop.shape[:2]
    m = cv2.getRotationMatrix2D((cw / 2, ch / 2), degrees, 1.0)
    turned = cv2.warpAffine(crop, m, (cw, ch), borderMode=cv2.BORDER_REPLICATE)
    turned = cv2.resize(turned, (cw * 2, ch * 2), interpolation=cv2.INTER_LINEAR)
    return image_bytes(turned, "JPEG", quality=90)


def one_line_scan(width: int = 1654, height: int = 2339) -> np.ndarray:
    """A scanned page that says only one short thing ("此页无正文" and a signature), on a noisy blank sheet."""
    page = scanned_blank(width, height)
    s = width / 1240
    x = int(500 * s)
    for _ in range(6):
        cv2.rectangle(page, (x, int(900 * s)), (x + int(20 * s), int(924 * s)), (30, 30, 30), -1)
        x += int(28 * s)
    return page


def ocr_scan_pdf(rgb: np.ndarray) -> bytes:
    """A scan the way OCR software leaves it: the picture wrapped in a form XObject, invisible text on top."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.beginForm("scan")
    c.drawImage(ImageReader(io.BytesIO(image_bytes(rgb, "JPEG", quality=85))), 0, 0, *A4)
    c.endForm()
    c.doForm("scan")
    text = c.beginText(80, 700)
    text.setTextRenderMode(3)
    text.setFont(_font(), 12)
    text.textLine("民事起诉状")
    c.drawText(text)
    c.showPage()
    c.save()
    return buf.getvalue()

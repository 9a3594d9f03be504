"""Paper to scan, made here: pages of Chinese text drawn with the system Noto CJK font (what a scanner sees),
cover sheets printed by the platform and rendered back to pixels, and scanner-style PDFs of them."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DPI = 200
A6 = (827, 1165)  # 105 × 148 mm at 200 dpi: small pages keep OCR quick in tests


def text_page(lines: list[str], *, size=A6, angle: float = 0.0, font_px: int = 40) -> Image.Image:
    image = Image.new("L", size, 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, font_px)
    for i, line in enumerate(lines):
        draw.text((70, 110 + i * int(font_px * 2.1)), line, font=font, fill=20)
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=250) if angle else image


def blank_page(size=A6) -> Image.Image:
    return Image.new("L", size, 250)


def rendered(pdf: bytes, *, dpi: int = DPI) -> Image.Image:
    """A printed PDF page as the scanner sees it (the cover sheet)."""
    from yunting.kernel.ocr import render_page

    return render_page(pdf, 1, dpi=dpi)


def scanner_pdf(images: list[Image.Image], *, dpi: int = DPI) -> bytes:
    """Each image over a page of its own size at `dpi`, the way scanner software writes PDFs."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for image in images:
        w, h = image.width * 72 / dpi, image.height * 72 / dpi
        c.setPageSize((w, h))
        data = io.BytesIO()
        image.convert("L").save(data, "JPEG", quality=90)
        data.seek(0)
        c.drawImage(ImageReader(data), 0, 0, w, h)
        c.showPage()
    c.save()
    return buf.getvalue()

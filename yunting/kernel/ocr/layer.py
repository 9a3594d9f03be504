"""A searchable PDF from scanned pages: each page is the (straightened) scan image, with the recognised text
drawn invisibly (text render mode 3) where it was read, so viewers can select and search it and `pdftotext`
finds the words. The text uses the bundled common-characters font, embedded as a subset like every PDF we make;
a character outside it (rare) is left out of the invisible layer rather than written with a non-embedded font."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from .engine import OcrPage

JPEG_QUALITY = 80


@dataclass
class ScannedPage:
    image: Image.Image
    dpi: int
    ocr: OcrPage | None = None


def searchable_pdf(pages: list[ScannedPage], *, title: str = "") -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    from yunting.kernel.pdf.make import COMMON_FONT, _common_font

    covered = _common_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, initialFontName=COMMON_FONT, initialFontSize=10)
    if title:
        c.setTitle(title)
    for page in pages:
        scale = 72.0 / page.dpi
        w, h = page.image.width * scale, page.image.height * scale
        c.setPageSize((w, h))
        jpeg = io.BytesIO()
        page.image.convert("L").save(jpeg, "JPEG", quality=JPEG_QUALITY)
        jpeg.seek(0)
        c.drawImage(ImageReader(jpeg), 0, 0, width=w, height=h)
        for line in (page.ocr.lines if page.ocr else []):
            text = "".join(ch for ch in line.text if ord(ch) in covered) if covered else ""
            if not text.strip():
                continue
            xs, ys = [p[0] for p in line.box], [p[1] for p in line.box]
            box_w, box_h = (max(xs) - min(xs)) * scale, (max(ys) - min(ys)) * scale
            size = max(box_h * 0.85, 1.0)
            natural = stringWidth(text, COMMON_FONT, size) or 1.0
            t = c.beginText()
            t.setTextRenderMode(3)  # invisible: the image shows the page, the text makes it searchable
            t.setFont(COMMON_FONT, size)
            t.setHorizScale(100.0 * box_w / natural)
            t.setTextOrigin(min(xs) * scale, h - max(ys) * scale + box_h * 0.15)
            t.textOut(text)
            c.drawText(t)
        c.showPage()
    c.save()
    return buf.getvalue()

"""Simple, real PDFs with Chinese text (reportlab's built-in STSong-Light CID font: no font files needed).

Used for demo data and tests; court papers proper are rendered by the documents module.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        while len(para) > width:
            lines.append(para[:width])
            para = para[width:]
        lines.append(para)
    return lines


def simple_pdf(*, title: str, subtitle: str = "", body: str = "", pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    font = _font()
    w, h = A4
    lines = _wrap(body, 34)
    per_page = 30
    for page in range(pages):
        c.setFont(font, 20)
        c.drawCentredString(w / 2, h - 30 * mm, title)
        if subtitle:
            c.setFont(font, 12)
            c.drawRightString(w - 25 * mm, h - 42 * mm, subtitle)
        c.setFont(font, 12)
        y = h - 55 * mm
        for line in lines[page * per_page : (page + 1) * per_page]:
            c.drawString(28 * mm, y, line)
            y -= 7.5 * mm
        c.setFont(font, 9)
        c.drawCentredString(w / 2, 15 * mm, f"第 {page + 1} 页 共 {pages} 页")
        c.showPage()
    c.save()
    return buf.getvalue()

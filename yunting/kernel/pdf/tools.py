from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

log = logging.getLogger(__name__)


def storable_text(text: str) -> str:
    """Extracted text as a database text column takes it: PostgreSQL refuses NUL, which pypdf returns for glyphs
    whose font maps them to nothing (a PDF made without its fonts), so the document's text would never be saved."""
    return text.replace("\x00", "")


def pdf_info(stream: BinaryIO, *, max_text_pages: int = 50) -> tuple[int, str]:
    """(page count, extracted text of the first pages); (0, "") for a PDF pypdf cannot read."""
    try:
        reader = PdfReader(stream)
        pages = len(reader.pages)
        text = "\n".join((p.extract_text() or "") for p in reader.pages[:max_text_pages])
        return pages, storable_text(text)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        log.warning("unreadable PDF: %s", exc)
        return 0, ""


def pdf_page_count(stream: BinaryIO) -> int:
    """Pages of a PDF, without reading their content (cheap); 0 for a PDF pypdf cannot read."""
    try:
        return len(PdfReader(stream).pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        log.warning("unreadable PDF: %s", exc)
        return 0


@dataclass
class Part:
    title: str
    stream: BinaryIO


@dataclass
class Section:
    title: str
    parts: list[Part]


def pdf_merge_with_bookmarks(sections: Iterable[Section], out: BinaryIO) -> int:
    """Concatenate PDFs into `out` with one top-level bookmark per section and one child per document."""
    writer = PdfWriter()
    pages = 0
    for section in sections:
        if not section.parts:
            continue
        parent = None
        for part in section.parts:
            reader = PdfReader(part.stream)
            start = len(writer.pages)
            for page in reader.pages:
                writer.add_page(page)
            if len(writer.pages) == start:
                continue
            if parent is None:
                parent = writer.add_outline_item(title=section.title, page_number=start)
            writer.add_outline_item(title=part.title, page_number=start, parent=parent)
        pages = len(writer.pages)
    writer.write(out)
    return pages


def _overlay_reportlab(text: str, width: float, height: float) -> bytes:
    """One transparent page of the given size with `text` drawn diagonally, repeated, in grey (font embedded)."""
    import io

    from reportlab.pdfgen import canvas

    from .make import COMMON_FONT

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=1, initialFontName=COMMON_FONT, initialFontSize=10)
    c.setFillColorRGB(0.55, 0.55, 0.55, alpha=0.35)
    size = max(10.0, min(width, height) / 28)
    c.setFont(COMMON_FONT, size)
    c.saveState()
    c.translate(width / 2, height / 2)
    c.rotate(35)
    span = max(width, height)
    y = -span
    while y <= span:
        c.drawCentredString(0, y, text)
        y += size * 6
    c.restoreState()
    c.setFillColorRGB(0.35, 0.35, 0.35, alpha=0.8)
    c.setFont(COMMON_FONT, 8)
    c.drawString(18, 12, text)  # also once, upright, at the foot: readable on every page and by pdftotext
    c.showPage()
    c.save()
    return buf.getvalue()


def _overlay_html(text: str) -> bytes:
    """The same overlay laid out by WeasyPrint with the full CJK font: for a name the bundled font lacks."""
    from html import escape

    from yunting.kernel.documents.render import html_to_pdf

    line = escape(text)
    rows = "".join(f"<p>{line}</p>" for _ in range(9))
    html = ('<!doctype html><html><head><meta charset="utf-8"><style>@page{size:A4;margin:0}'
            'body{margin:0;font-family:"Noto Sans CJK SC",sans-serif}'
            '.w{position:absolute;top:40mm;left:-30mm;width:270mm;transform:rotate(-35deg);color:rgba(140,140,140,.35);'
            'font-size:16pt;text-align:center}.w p{margin:0 0 22mm}'
            '.f{position:absolute;bottom:4mm;left:6mm;font-size:8pt;color:#555}</style></head>'
            f'<body><div class="w">{rows}</div><div class="f">{line}</div></body></html>')
    return html_to_pdf(html)[0]


def pdf_watermark(stream: BinaryIO, text: str, out: BinaryIO) -> int:
    """Stamp `text` (the reader's name and the time) over every page of a PDF, fonts embedded; returns pages.

    The watermark is drawn into the page content, so it survives printing and cannot be switched off like an
    annotation. Drawn with the bundled font when it has every character, else laid out with the system CJK font."""
    from pypdf import Transformation

    from .make import _common_font

    writer = PdfWriter(clone_from=PdfReader(stream))
    covered = _common_font()
    use_reportlab = bool(covered) and all(ord(ch) in covered for ch in text)
    html_overlay = None
    overlays: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        box = page.mediabox
        size = (round(float(box.width), 1), round(float(box.height), 1))
        if use_reportlab:
            if size not in overlays:
                overlays[size] = PdfReader(io_bytes(_overlay_reportlab(text, *size))).pages[0]
            page.merge_translated_page(overlays[size], float(box.left), float(box.bottom))
        else:
            if html_overlay is None:
                html_overlay = PdfReader(io_bytes(_overlay_html(text))).pages[0]
            sx = size[0] / float(html_overlay.mediabox.width)
            sy = size[1] / float(html_overlay.mediabox.height)
            page.merge_transformed_page(html_overlay, Transformation().scale(sx, sy).translate(
                float(box.left), float(box.bottom)))
    writer.write(out)
    return len(writer.pages)


def io_bytes(data: bytes):
    import io

    return io.BytesIO(data)

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

log = logging.getLogger(__name__)


def pdf_info(stream: BinaryIO, *, max_text_pages: int = 50) -> tuple[int, str]:
    """(page count, extracted text of the first pages); (0, "") for a PDF pypdf cannot read."""
    try:
        reader = PdfReader(stream)
        pages = len(reader.pages)
        text = "\n".join((p.extract_text() or "") for p in reader.pages[:max_text_pages])
        return pages, text
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
                parent = writer.add_outline_item(section.title, start)
            writer.add_outline_item(part.title, start, parent=parent)
        pages = len(writer.pages)
    writer.write(out)
    return pages

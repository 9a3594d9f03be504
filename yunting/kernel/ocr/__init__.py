"""Scanned pages to searchable text: render, find cover-sheet QR codes, straighten, drop blank pages, OCR with
RapidOCR (models ship in the wheel: works offline), and lay the recognised text invisibly over the page image so
the PDF is searchable (`pdftotext` finds the words). Knows nothing about cases: pure functions on bytes and images.
"""

from .engine import OcrLine, OcrPage, ocr_image
from .layer import ScannedPage, searchable_pdf
from .pages import deskew, find_qr, is_blank, page_count, render_page, skew_angle

__all__ = [
    "OcrLine",
    "OcrPage",
    "ScannedPage",
    "deskew",
    "find_qr",
    "is_blank",
    "ocr_image",
    "page_count",
    "render_page",
    "searchable_pdf",
    "skew_angle",
]

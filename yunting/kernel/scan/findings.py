"""What an inspection reports: stable codes, one translated sentence each, the page it concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FindingCode(StrEnum):
    # Refusals (Inspection.problems)
    PDF_UNREADABLE = "pdf_unreadable"
    PDF_PASSWORD_PROTECTED = "pdf_password_protected"
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_NO_PAGES = "pdf_no_pages"
    PDF_TOO_MANY_PAGES = "pdf_too_many_pages"
    PDF_PAGE_UNREADABLE = "pdf_page_unreadable"
    PDF_ALL_BLANK = "pdf_all_blank"
    PDF_TRUNCATED = "pdf_truncated"
    PDF_DAMAGED = "pdf_damaged"
    PDF_STREAM_TOO_LARGE = "pdf_stream_too_large"
    PDF_DECOMPRESSION_BOMB = "pdf_decompression_bomb"
    PDF_TOO_MANY_OBJECTS = "pdf_too_many_objects"
    PDF_IMAGE_TOO_LARGE = "pdf_image_too_large"
    PDF_POLYGLOT = "pdf_polyglot"
    PDF_JAVASCRIPT = "pdf_javascript"
    PDF_LAUNCH = "pdf_launch"
    PDF_EMBEDDED_FILE = "pdf_embedded_file"
    PDF_XFA = "pdf_xfa"
    PDF_ACTIVE_CONTENT = "pdf_active_content"
    SCAN_LOW_RESOLUTION = "scan_low_resolution"
    IMAGE_UNREADABLE = "image_unreadable"
    IMAGE_TOO_LARGE = "image_too_large"
    IMAGE_LOW_RESOLUTION = "image_low_resolution"
    IMAGE_BLANK = "image_blank"
    # Accepted, shown to the filer (Inspection.warnings)
    BLANK_PAGES = "blank_pages"


@dataclass(frozen=True)
class Finding:
    code: FindingCode
    message: str
    page: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": str(self.code), "message": self.message, "page": self.page, "data": self.data}


@dataclass
class Inspection:
    pages: int = 0
    text: str = ""
    problems: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing forbids accepting the upload (warnings may remain)."""
        return not self.problems

"""Taking in an uploaded document for a case or a filing: stored by content, checked by content, and a photo of
paper turned into a straight PDF page.

The type (magic bytes) and size are checked by `blob_put`; what the content is worth as a court document (pages,
blank pages, scan resolution, a readable image) by `kernel.scan.inspect_document`. A refused upload raises
ValidationFailed with every problem listed, before any record points to it (a stored but unreferenced blob is
harmless: content-addressed, reused by the next upload of the same bytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from yunting.kernel.blobs.models import Blob
from yunting.kernel.blobs.store import blob_put, blob_put_bytes, blob_read
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.scan import inspect_document, photos_to_pdf

PDF = "application/pdf"
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/tiff"}


@dataclass
class Intake:
    blob: Blob  # what enters the file: the upload itself, or the PDF made from photos of paper
    page_count: int | None  # None for media without pages
    notes: list[dict[str, Any]] = field(default_factory=list)  # warnings and what was done, shown to the filer
    source: Blob | None = None  # the original photo, kept when a PDF was made from it


def _refuse(findings, *, name: str = "") -> ValidationFailed:
    problems = [f.as_dict() for f in findings]
    prefix = f"{name}：" if name else ""
    message = prefix + " ".join(p["message"] for p in problems).replace("。 ", "。")  # Chinese needs no space
    return ValidationFailed(message, code=problems[0]["code"], data={"problems": problems})


def intake_upload(stream: BinaryIO, *, more_photos: Sequence[BinaryIO] = (), name: str = "") -> Intake:
    """Store and check one upload. A photo in which a sheet of paper is found becomes a straightened one-page
    PDF (the photo is kept as `source`); several photos (`stream` plus `more_photos`, the pages of one paper
    document in order) always become one PDF. Anything else is kept as uploaded. Text is not extracted here:
    the e-file does it when the document is filed."""
    first = blob_put(stream)
    extra = [blob_put(s) for s in more_photos]
    if extra:
        return _photos([first, *extra], name=name)
    data = blob_read(first.sha256)
    inspection = inspect_document(data, first.mime_type, max_text_pages=0)
    if inspection.problems:
        raise _refuse(inspection.problems, name=name)
    notes = [w.as_dict() for w in inspection.warnings]
    if first.mime_type == PDF:
        return Intake(blob=first, page_count=inspection.pages, notes=notes)
    if first.mime_type in PHOTO_TYPES and getattr(settings, "YUNTING_STRAIGHTEN_PHOTOS", True):
        result = photos_to_pdf([data])
        if result.pages[0].paper_found:
            pdf = blob_put_bytes(result.pdf)
            return Intake(blob=pdf, page_count=1, source=first,
                          notes=[*notes, _photo_note(result.pages, [first])])
    return Intake(blob=first, page_count=None, notes=notes)


def _photos(blobs: list[Blob], *, name: str) -> Intake:
    photos = []
    for i, blob in enumerate(blobs, start=1):
        if blob.mime_type not in PHOTO_TYPES:
            raise ValidationFailed(_("Only photos can be combined into one document (file %(n)d is not a photo).")
                                   % {"n": i}, code="photos_only", data={"file": i})
        data = blob_read(blob.sha256)
        inspection = inspect_document(data, blob.mime_type, max_text_pages=0)
        if inspection.problems:
            raise _refuse(inspection.problems, name=_("photo %(n)d") % {"n": i} if not name else f"{name} {i}")
        photos.append(data)
    result = photos_to_pdf(photos)
    pdf = blob_put_bytes(result.pdf)
    return Intake(blob=pdf, page_count=len(result.pages), source=blobs[0],
                  notes=[_photo_note(result.pages, blobs)])


def _photo_note(pages, sources: list[Blob]) -> dict[str, Any]:
    """What was done, with the SHA-256 of every original photo (page order), so none is lost."""
    found = sum(1 for p in pages if p.paper_found)
    return {"code": "photo_straightened", "page": None,
            "data": {"pages": len(pages), "paper_found": found, "sources": [b.sha256 for b in sources]},
            "message": _("Made into a PDF from %(pages)d photo(s); the paper was found and straightened on "
                         "%(found)d.") % {"pages": len(pages), "found": found}}

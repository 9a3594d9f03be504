"""Content checks for uploaded evidence, and phone photos of paper turned into straight PDF pages.

Pure functions on bytes: no models, no storage. The intake (core/efile/intake.py) calls them in the sandbox after
`blob_put` has proved the type by magic bytes and the size. A PDF meets `pdfguard` first — the work bounds checked
while streaming (limits.py), polyglots, truncation, damage and active content — and only then the page checks.
"""

from .findings import Finding, FindingCode, Inspection
from .inspect import inspect_document

_PHOTO = {"PhotoPage", "PhotoResult", "photo_to_pdf", "photos_to_pdf"}


def __getattr__(name):
    """The photo functions load OpenCV (≈ 0.3 s, tens of MB): only when a photo is first straightened, not when
    the web process starts."""
    if name not in _PHOTO:
        raise AttributeError(name)
    from . import photo

    return getattr(photo, name)

__all__ = [
    "Finding",
    "FindingCode",
    "Inspection",
    "PhotoPage",
    "PhotoResult",
    "inspect_document",
    "photo_to_pdf",
    "photos_to_pdf",
]

"""Content checks for uploaded evidence, and phone photos of paper turned into straight PDF pages.

Pure functions on bytes: no models, no storage. The filing upload service calls them after `blob_put` has
proved the type by magic bytes and the size.
"""

from .findings import Finding, FindingCode, Inspection
from .inspect import inspect_document
from .photo import PhotoPage, PhotoResult, photo_to_pdf, photos_to_pdf

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

"""Content checks for an uploaded PDF or image: can it be read, how many pages, is it blank, is a scan sharp enough.

Cheap for born-digital PDFs: a page whose content stream draws text or vector paths is neither blank nor a scan,
which a regular expression over the (decompressed) stream tells without parsing it. Only pages that place
images are parsed operator by operator (to know where each image lands and so its dpi), and only pages with
nothing but images, or nothing at all, have their pixels looked at.
"""

from __future__ import annotations

import io
import logging
import math
import re
import threading
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageFile
from pypdf import PasswordType, PdfReader
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import ContentStream

from yunting.kernel.pdf.tools import storable_text

from . import limits, pdfguard
from .findings import Finding, FindingCode, Inspection
from .pixels import looks_blank

log = logging.getLogger(__name__)
_STRICT_LOCK = threading.Lock()

PDF = "application/pdf"
A4_SHORT_INCH = 210 / 25.4
MAX_TEXT_PAGES = 50
MAX_TEXT_CHARS = 200_000
# A page is a scan when images cover at least this share of it; images under MIN_IMAGE_SHARE are ignored.
SCAN_COVERAGE = 0.5
MIN_IMAGE_SHARE = 0.05
MAX_PAGE_FINDINGS = 5
MAX_FORM_DEPTH = 8

_PDF_ERRORS = (
    PyPdfError, PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
    OSError, RecursionError, ZeroDivisionError, zlib.error,
)
_IMAGE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) + _PDF_ERRORS

# Operators that put marks on the page: show text, paint a path, paint a shading, place an inline image.
# Delimiters in a content stream are whitespace and ()<>[]{}/%; an operator follows whitespace or the end of
# its operand (`)`, `]`, `>`) and is followed by whitespace, the next operand or the end of the stream.
_OPERATOR = re.compile(rb"""(?:(?<=[\s)\]>])|^)(Tj|TJ|'|"|S|s|f\*?|F|B\*?|b\*?|sh|BI|Do)(?=[\s(\[</%]|$)""")
_MARKS = frozenset({b"Tj", b"TJ", b"'", b'"', b"S", b"s", b"f", b"f*", b"F", b"B", b"B*", b"b", b"b*", b"sh", b"BI"})

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def min_scan_dpi() -> int:
    return int(getattr(settings, "YUNTING_MIN_SCAN_DPI", 150))


def max_document_pages() -> int:
    return int(getattr(settings, "YUNTING_MAX_DOCUMENT_PAGES", 500))


def min_image_short_side_px() -> int:
    """Pixels a document photo needs on its short side: A4's short side at the minimum scan dpi (1240 at 150)."""
    default = round(A4_SHORT_INCH * min_scan_dpi())
    return int(getattr(settings, "YUNTING_MIN_IMAGE_SHORT_SIDE_PX", default))


def inspect_document(data: bytes, mime_type: str, *, max_text_pages: int = MAX_TEXT_PAGES) -> Inspection:
    """Check an upload's content; `problems` mean refuse it, `warnings` are shown to the filer.

    `mime_type` is what the magic bytes proved (blob sniffing), not what the browser claimed. Types other
    than PDF and images get an empty Inspection. Text is extracted from the first `max_text_pages` pages of a
    PDF (0: none; extraction is most of the cost of a text PDF, about 5 ms a page).
    """
    if mime_type == PDF:
        return _inspect_pdf(data, max_text_pages=max_text_pages)
    if mime_type.startswith("image/"):
        return _inspect_image(data)
    return Inspection()


# --- PDF ---------------------------------------------------------------------------------------------------


@dataclass
class _Placed:
    xobject: Any
    ctm: Matrix

    @property
    def size_pt(self) -> tuple[float, float]:
        a, b, c, d, _e, _f = self.ctm
        return math.hypot(a, b), math.hypot(c, d)

    @property
    def area_pt(self) -> float:
        a, b, c, d, _e, _f = self.ctm
        return abs(a * d - b * c)

    def dpi(self) -> float | None:
        w_pt, h_pt = self.size_pt
        if w_pt <= 0 or h_pt <= 0:
            return None
        return min(int(self.xobject["/Width"]) * 72 / w_pt, int(self.xobject["/Height"]) * 72 / h_pt)


@dataclass
class _PageScan:
    marks: bool = False
    images: list[_Placed] = field(default_factory=list)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2, a * b2 + b * d2,
        c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )


def _operators(content: bytes) -> set[bytes]:
    return {m.group(1) for m in _OPERATOR.finditer(content)}


def _walk(operations, resources, ctm: Matrix, reader: PdfReader, scan: _PageScan, depth: int) -> None:
    """Follow q/Q/cm to find where each image XObject lands; look into form XObjects."""
    stack: list[Matrix] = []
    resources = resources.get_object() if resources is not None else {}
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else {}
    for operands, op in operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop() if stack else ctm
        elif op == b"cm" and len(operands) == 6:
            ctm = _mul(tuple(float(x) for x in operands), ctm)
        elif op == b"INLINE IMAGE":
            scan.marks = True
        elif op == b"Do" and operands:
            xobject = xobjects.get(operands[0])
            if xobject is None:
                continue
            xobject = xobject.get_object()
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                scan.images.append(_Placed(xobject, ctm))
            elif subtype == "/Form" and depth < MAX_FORM_DEPTH:
                found = _operators(xobject.get_data())
                if found & _MARKS:
                    scan.marks = True
                if b"Do" in found:
                    matrix = tuple(float(x) for x in xobject.get("/Matrix", IDENTITY))
                    _walk(ContentStream(xobject, reader).operations, xobject.get("/Resources") or resources,
                          _mul(matrix, ctm), reader, scan, depth + 1)


def _contents_lost(page) -> bool:
    """The page names content that is not there (a reference to an object lost in damage reads as null)."""
    from pypdf.generic import ArrayObject, NullObject

    raw = page.get("/Contents")
    if raw is None:
        return False
    value = raw.get_object()
    items = list(value) if isinstance(value, ArrayObject) else [value]
    return any(item is None or isinstance(item.get_object(), NullObject) for item in items)


def _scan_page(page, reader: PdfReader) -> _PageScan:
    scan = _PageScan()
    contents = page.get_contents()
    if contents is None:
        return scan
    found = _operators(contents.get_data())
    scan.marks = bool(found & _MARKS)
    if b"Do" in found:
        _walk(contents.operations, page.get("/Resources"), IDENTITY, reader, scan, 0)
    return scan


def _decode(xobject) -> Image.Image:
    filters = xobject.get("/Filter")
    if filters == "/DCTDecode" or (isinstance(filters, list) and [str(f) for f in filters] == ["/DCTDecode"]):
        image = Image.open(io.BytesIO(xobject.get_data()))  # JPEG as stored: decode at reduced scale
        image.draft("L", (max(1, image.width // 4), max(1, image.height // 4)))
        return image
    return xobject.decode_as_image()


def _image_is_blank(placed: _Placed) -> bool:
    xobject = placed.xobject
    if xobject.get("/ImageMask"):
        return False
    try:
        return looks_blank(_decode(xobject))
    except _IMAGE_ERRORS as exc:  # JBIG2 without a decoder, odd colour spaces: assume the image shows something
        log.info("cannot decode PDF image for the blank check: %s", exc)
        return False


def _page_labels(pages: list[int]) -> str:
    """[2, 3, 4, 7] → "2-4, 7" (runs collapsed), then joined the locale's way."""
    runs: list[str] = []
    start = prev = pages[0]
    for p in [*pages[1:], None]:
        if p is not None and p == prev + 1:
            prev = p
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if p is not None:
            start = prev = p
    return get_text_list(runs, _("and"))


def _open_pdf(data: bytes, result: Inspection) -> PdfReader | None:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                result.problems.append(Finding(FindingCode.PDF_PASSWORD_PROTECTED, _(
                    "The PDF is protected by a password. Remove the password and upload it again.")))
                return None
            result.problems.append(Finding(FindingCode.PDF_ENCRYPTED, _(
                "The PDF is encrypted (it has permission restrictions). "
                "Save an unencrypted copy and upload that.")))
        result.pages = len(reader.pages)
        return reader
    except _PDF_ERRORS as exc:
        log.info("unreadable PDF: %s", exc)
        result.problems.append(Finding(FindingCode.PDF_UNREADABLE, _(
            "The file is damaged or is not a valid PDF, so it cannot be read.")))
        return None


def _born_digital_pages(data: bytes) -> int | None:
    """The page count when the PDF is plainly born-digital: readable without a password, within the page limit,
    and every page draws text or paths and places no image. None for anything else, which the full inspection
    below then decides. This is the common case of institutions' batches (thousands of generated PDFs), and
    qpdf (pikepdf) opens a PDF several times faster than pypdf, which is most of the cost of the full path."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return born_digital_pages(pdf)
    except Exception:  # noqa: BLE001 (any doubt: the full inspection reads it and says what is wrong)
        return None


def born_digital_pages(pdf) -> int | None:
    """`_born_digital_pages` on a PDF qpdf has open already (the structural pass asks while it has it open)."""
    import pikepdf

    try:
        if pdf.is_encrypted:
            return None
        pages = len(pdf.pages)
        if not 0 < pages <= max_document_pages():
            return None
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            operators = _operators(b"\n".join(s.read_bytes() for s in streams if s is not None))
            if not operators & _MARKS or operators & {b"Do", b"BI"}:
                return None
        return pages
    except Exception:  # noqa: BLE001 (any doubt: the full inspection reads it and says what is wrong)
        return None


def too_many_pages(pages: int) -> Finding:
    limit = max_document_pages()
    return Finding(
        FindingCode.PDF_TOO_MANY_PAGES,
        _("The PDF has %(pages)s pages; a file may have at most %(max)s. Split it into several files.")
        % {"pages": pages, "max": limit},
        data={"pages": pages, "max": limit},
    )


def _inspect_pdf(data: bytes, *, max_text_pages: int) -> Inspection:
    problems, _hint = pdfguard.prescan(data)  # bounds first: nothing below meets an unbounded stream
    born_digital = None
    if not problems:  # active content is always looked for: the walk is cheap next to qpdf's reading
        problems, born_digital = pdfguard.structure(data, active_hint=True)
    if problems:
        return Inspection(problems=problems)
    if max_text_pages == 0 and born_digital is not None:
        return Inspection(pages=born_digital)
    result = Inspection()
    reader = _open_pdf(data, result)
    if reader is None or result.problems:  # encrypted: refused, and nothing more is decrypted and read
        return result
    limit = max_document_pages()
    if result.pages == 0:
        result.problems.append(Finding(FindingCode.PDF_NO_PAGES, _("The PDF has no pages.")))
        return result
    if result.pages > limit:
        result.problems.append(too_many_pages(result.pages))
        return result

    min_dpi = min_scan_dpi()
    blank: list[int] = []
    low: list[tuple[int, int]] = []
    texts: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            if _contents_lost(page):
                raise ValueError("the page's content stream is missing")
            scan = _scan_page(page, reader)
            page_area = abs(float(page.mediabox.width) * float(page.mediabox.height)) or 1.0
            big = [im for im in scan.images if im.area_pt / page_area >= MIN_IMAGE_SHARE]
            if sum(min(im.area_pt / page_area, 1.0) for im in big) >= SCAN_COVERAGE:
                dpis = [d for d in (im.dpi() for im in big) if d is not None]
                if dpis and round(min(dpis)) < min_dpi:
                    low.append((number, round(min(dpis))))
            if not scan.marks and all(_image_is_blank(im) for im in scan.images):
                blank.append(number)
            elif scan.marks and number <= max_text_pages and sum(map(len, texts)) < MAX_TEXT_CHARS:
                texts.append(page.extract_text() or "")
        except _PDF_ERRORS as exc:
            log.info("unreadable PDF page %s: %s", number, exc)
            result.problems.append(Finding(
                FindingCode.PDF_PAGE_UNREADABLE,
                _("Page %(page)s of the PDF is damaged and cannot be read.") % {"page": number},
                page=number,
            ))
    result.text = storable_text("\n".join(texts))[:MAX_TEXT_CHARS]

    for number, dpi in low[:MAX_PAGE_FINDINGS]:
        result.problems.append(Finding(
            FindingCode.SCAN_LOW_RESOLUTION,
            _("Page %(page)s is scanned at about %(dpi)s dpi; scans must be at least %(min_dpi)s dpi. "
              "Scan it again at a higher resolution.") % {"page": number, "dpi": dpi, "min_dpi": min_dpi},
            page=number, data={"dpi": dpi, "min_dpi": min_dpi},
        ))
    if len(low) > MAX_PAGE_FINDINGS:
        rest = [number for number, _dpi in low[MAX_PAGE_FINDINGS:]]
        result.problems.append(Finding(
            FindingCode.SCAN_LOW_RESOLUTION,
            _("Pages %(pages)s are also scanned below %(min_dpi)s dpi.")
            % {"pages": _page_labels(rest), "min_dpi": min_dpi},
            data={"pages": rest, "min_dpi": min_dpi},
        ))
    if blank and len(blank) == result.pages:
        result.problems.append(Finding(FindingCode.PDF_ALL_BLANK, ngettext(
            "The only page of the PDF is blank.",
            "All %(pages)s pages of the PDF are blank.", result.pages) % {"pages": result.pages}))
    elif blank:
        result.warnings.append(Finding(
            FindingCode.BLANK_PAGES,
            ngettext("Page %(pages)s appears to be blank; check that nothing is missing.",
                     "Pages %(pages)s appear to be blank; check that nothing is missing.", len(blank))
            % {"pages": _page_labels(blank)},
            page=blank[0] if len(blank) == 1 else None, data={"pages": blank},
        ))
    return result


# --- images ------------------------------------------------------------------------------------------------


@contextmanager
def _strict_decoding():
    """Refuse truncated images while we decode (and size them against YUNTING_IMAGE_MAX_PIXELS, not Pillow's own
    bomb guard). WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on
    import, under which a cut-off upload decodes as if whole (the rest grey); it is lifted for our decoding
    only, under a lock, and put back."""
    with _STRICT_LOCK:
        previous, pixels = ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        Image.MAX_IMAGE_PIXELS = None  # our own limit is checked on the header's size, naming it, before decoding
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS = previous, pixels


def _too_many_pixels(size: tuple[int, int] | None, page: int | None) -> Finding:
    limit = limits.image_max_pixels()
    data = {"max_pixels": limit, "setting": "YUNTING_IMAGE_MAX_PIXELS"}
    if size is None:  # Pillow's own guard (twice its warning size) stopped the header's reading
        message = _("The image has too many pixels to be processed; an image may have at most %(max_mp)s million "
                    "pixels. Reduce its resolution and upload it again.") % {"max_mp": limits.megapixels(limit)}
    else:
        data |= {"width": size[0], "height": size[1]}
        message = _("The image is %(width)s×%(height)s pixels (%(mp)s million); an image may have at most "
                    "%(max_mp)s million pixels. Reduce its resolution and upload it again.") % {
            "width": size[0], "height": size[1], "mp": limits.megapixels(size[0] * size[1]),
            "max_mp": limits.megapixels(limit)}
    return Finding(FindingCode.IMAGE_TOO_LARGE, message, page=page, data=data)


def _inspect_image(data: bytes) -> Inspection:
    with _strict_decoding():
        return _inspect_image_strict(data)


def _inspect_image_strict(data: bytes) -> Inspection:
    result = Inspection()
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
    except Image.DecompressionBombError:
        result.problems.append(_too_many_pixels(None, None))
        return result
    except _IMAGE_ERRORS as exc:
        log.info("unreadable image: %s", exc)
        result.problems.append(Finding(FindingCode.IMAGE_UNREADABLE, _(
            "The image cannot be opened; the file may be damaged.")))
        return result
    result.pages = frames
    min_px, min_dpi = min_image_short_side_px(), min_scan_dpi()
    for index in range(min(frames, max_document_pages())):
        page = index + 1 if frames > 1 else None
        try:
            image.seek(index)
            width, height = image.size
            if width * height > limits.image_max_pixels():  # from the header: nothing decoded yet
                result.problems.append(_too_many_pixels((width, height), page))
                break
            if min(width, height) < min_px:
                result.problems.append(Finding(
                    FindingCode.IMAGE_LOW_RESOLUTION,
                    _("The image is %(width)s×%(height)s pixels; a photo or scan of a document needs at least "
                      "%(min_px)s pixels on its short side (A4 at %(min_dpi)s dpi).")
                    % {"width": width, "height": height, "min_px": min_px, "min_dpi": min_dpi},
                    page=page, data={"width": width, "height": height, "min_px": min_px},
                ))
            if image.format == "JPEG":
                image.draft("L", (max(1, width // 4), max(1, height // 4)))
            if looks_blank(image):
                result.problems.append(Finding(FindingCode.IMAGE_BLANK, _(
                    "The image is blank (almost uniform); check that you chose the right file."), page=page))
        except Image.DecompressionBombError:
            result.problems.append(_too_many_pixels(None, page))
            break
        except _IMAGE_ERRORS as exc:
            log.info("undecodable image: %s", exc)
            result.problems.append(Finding(FindingCode.IMAGE_UNREADABLE, _(
                "The image cannot be opened; the file may be damaged."), page=page))
            break
    return result

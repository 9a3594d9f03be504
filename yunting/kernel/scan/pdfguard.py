"""Bounded and structural checks of an uploaded PDF, before the page checks in `inspect` (issues 9 §2, §4 and 19).

`prescan(data)` reads the raw bytes and no PDF library: what surrounds the PDF (another format before its header,
after its last %%EOF or a ZIP directory inside it: polyglots), whether it ends at all (truncated), how many
objects it has, and every stream inflated *while streaming* into a counter, 1 MB at a time — stopped as soon as
one stream or all of them pass their limit. So a 1 MB file that inflates to 1 GiB costs the limit's worth of
inflating and a megabyte of memory, and nothing after it (qpdf, pypdf) ever meets an unbounded stream.

`structure(data)` then opens the PDF with qpdf (pikepdf) and reads all of it, the way `qpdf --check` does: a
cross-reference that had to be rebuilt with loss, a page or content stream that cannot be read, references to
objects that are gone, images over the pixel limit, and active content (JavaScript, launch actions, embedded
files, XFA forms, …) are each refused with their own message. What passes opens in any viewer.
"""

from __future__ import annotations

import bisect
import io
import itertools
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator

from django.utils.translation import gettext as _

from . import limits
from .findings import Finding, FindingCode

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
# An indirect object's header; and the `stream` keyword after a dictionary (comments may sit between).
_OBJ_BEFORE = re.compile(rb"(?<![0-9])\d{1,10}[\x00\t\n\f\r ]+\d{1,5}[\x00\t\n\f\r ]+\Z")
_STREAM = re.compile(rb">>(?:[\x00\t\n\f\r ]|%[^\r\n]*[\r\n])*stream[ \t]*(?:\r\n|\n|\r)?")
_FILTER = re.compile(rb"/Filter[\x00\t\n\f\r ]*(\[[^\]]*\]|/[^\x00\t\n\f\r /\[\]<>()%{}]+)")
_NAME = re.compile(rb"/([^\x00\t\n\f\r /\[\]<>()%{}]+)")
_OBJSTM_N = re.compile(rb"/Type[\x00\t\n\f\r ]*/ObjStm\b.*?/N[\x00\t\n\f\r ]+(\d+)|/N[\x00\t\n\f\r ]+(\d+).*?"
                       rb"/Type[\x00\t\n\f\r ]*/ObjStm\b", re.S)
_EOF = b"%%EOF"
_WHITESPACE = b"\x00\t\n\f\r "
# Names that make the structural pass look for active content (it reads every object, so it is skipped when
# none of these appears anywhere, inflated object streams included). A name with a #xx escape could spell any.
_ACTIVE_HINT = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|EF|XFA|SubmitForm|ImportData|GoToE|RichMedia"
                          rb"\w*|FileAttachment|AA|OpenAction)(?![A-Za-z0-9])|/[^\x00\t\n\f\r /\[\]<>()%{}]*#[0-9A-Fa-f]{2}")
# What marks another format in the bytes around a PDF (markup a browser would render, archives, executables).
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|\?xml|a\s|img\s)",
                     re.I)
_FOREIGN_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x01\x02", b"MZ", b"\x7fELF", b"Rar!", b"7z\xbc\xaf",
                  b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf", b"\xd0\xcf\x11\xe0")
# Trailing bytes after the last %%EOF that are tolerated as a producer's padding, whatever they are.
TAIL_SLACK = 64


class _Overflow(Exception):
    """A stream decoded in one piece by pypdf passed pypdf's own output limit."""


class _Broken(Exception):
    """A stream declared Flate whose compressed data is damaged (not merely its checksum)."""


class _Stop(Exception):
    def __init__(self, finding: Finding):
        self.finding = finding


# --- 1. the raw pre-scan ----------------------------------------------------------------------------------------
def prescan(data: bytes) -> tuple[list[Finding], bool]:
    """(problems, active hint) from the raw bytes: polyglots, truncation, object count, inflation bounds."""
    problems: list[Finding] = []
    header = data.find(b"%PDF-", 0, 1024)
    if header < 0:
        return [Finding(FindingCode.PDF_UNREADABLE, _(
            "The file is damaged or is not a valid PDF, so it cannot be read."))], False
    if data[:header].strip(_WHITESPACE):
        problems.append(_polyglot("before", _kind(data[:header])))
    end = data.rfind(_EOF)
    tail = data[end + len(_EOF):] if end >= 0 else b""
    if end < 0 and not _object_headers(data, header, first=True):
        return [*problems, Finding(FindingCode.PDF_UNREADABLE, _(
            "The file is damaged or is not a valid PDF, so it cannot be read."))], False
    if end < 0 or _truncated_tail(tail):
        problems.append(Finding(FindingCode.PDF_TRUNCATED, _(
            "The PDF is incomplete: it stops before its end, so it was probably cut off while being copied or "
            "uploaded, and it could not be shown. Upload the complete file.")))
    elif len(tail.strip(_WHITESPACE)) > TAIL_SLACK or _kind(tail):
        problems.append(_polyglot("after", _kind(tail) or _("unknown data")))
    if not any(p.code == FindingCode.PDF_POLYGLOT for p in problems) and _has_zip(data):
        problems.append(_polyglot("inside", "ZIP"))
    try:
        hint = _bounded_streams(data)
    except _Stop as stop:
        truncated = any(p.code == FindingCode.PDF_TRUNCATED for p in problems)
        if truncated and stop.finding.code == FindingCode.PDF_DAMAGED:
            return problems, False  # the cut is the damage: said once
        return [*problems, stop.finding], False
    return problems, hint


def _object_headers(data: bytes, start: int = 0, *, first: bool = False) -> list[int]:
    """Where each indirect object's header (`12 0 obj`) ends. The keyword is found by `bytes.find` (C speed, and
    rare by chance in binary data) and only the few bytes before it matched: a regular expression over the whole
    file tried at every digit and took ~75 s a gigabyte of scanned images."""
    found: list[int] = []
    pos = data.find(b"obj", start)
    while pos >= 0:
        after = data[pos + 3:pos + 4]
        if (pos and data[pos - 1] in _WHITESPACE and not (after.isalnum())
                and _OBJ_BEFORE.search(data[max(0, pos - 24):pos])):
            found.append(pos + 3)
            if first:
                break
        pos = data.find(b"obj", pos + 3)
    return found


def _truncated_tail(tail: bytes) -> bool:
    """After the last %%EOF only line ends and padding may follow; a cut file usually has no %%EOF left in its last
    part (then the last one found belongs to an earlier revision and PDF syntax follows it)."""
    stripped = tail.strip(_WHITESPACE)
    return bool(stripped) and (b"obj" in stripped or b"xref" in stripped or b"trailer" in stripped
                               or b"startxref" in stripped or b"endstream" in stripped)


def _kind(blob: bytes) -> str:
    """The other format some bytes around a PDF are ("" when they look like nothing in particular)."""
    head = blob.lstrip(_WHITESPACE)
    if _MARKUP.search(blob[:65536]):
        return "HTML"
    for magic in _FOREIGN_MAGIC:
        if head.startswith(magic) or (magic.startswith(b"PK") and magic in blob):
            return "ZIP" if magic.startswith(b"PK") else _magic_name(head)
    if b"%PDF-" in blob:
        return "PDF"
    return ""


def _magic_name(head: bytes) -> str:
    import filetype

    kind = filetype.guess(head[:8192])
    return kind.extension.upper() if kind else _("another format")


def _has_zip(data: bytes) -> bool:
    """A ZIP's end-of-central-directory record that points at a real central directory (PDF+ZIP polyglots)."""
    if b"PK\x05\x06" not in data[-66_000:]:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False


def _polyglot(where: str, kind: str) -> Finding:
    messages = {
        "before": _("The file has other content (%(kind)s) before the start of the PDF: it is a PDF and another "
                    "kind of file at once, a disguise that slips content past checks. Save the document again "
                    "(for example print it to PDF) and upload that."),
        "after": _("The file has other content (%(kind)s) after the end of the PDF: it is a PDF and another kind "
                   "of file at once, a disguise that slips content past checks. Save the document again (for "
                   "example print it to PDF) and upload that."),
        "inside": _("The file carries a %(kind)s archive inside the PDF: it is a PDF and another kind of file at "
                    "once, a disguise that slips content past checks. Save the document again (for example print "
                    "it to PDF) and upload that."),
    }
    return Finding(FindingCode.PDF_POLYGLOT, messages[where] % {"kind": kind}, data={"where": where, "kind": kind})


_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _unescape(dictionary: bytes) -> bytes:
    """Names may spell any character as #xx (`/Fl#61teDecode` is /FlateDecode to qpdf): read them as qpdf does."""
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), dictionary) if b"#" in dictionary else dictionary


def _filters(dictionary: bytes) -> list[str]:
    match = _FILTER.search(_unescape(dictionary))
    return [m.decode("latin-1") for m in _NAME.findall(match.group(1))] if match else []


def _bounded_streams(data: bytes) -> bool:
    """Inflate every stream into a counter; raise _Stop at the first limit passed. True when a name that may mean
    active content was seen (in the file or in an inflated stream)."""
    max_objects, max_stream, max_total = limits.pdf_max_objects(), limits.pdf_max_stream_bytes(), \
        limits.pdf_max_inflated_bytes()
    headers = _object_headers(data)
    objects = len(headers)
    if objects > max_objects:
        raise _Stop(_too_many_objects(objects, max_objects))
    hint = bool(_ACTIVE_HINT.search(data))
    encrypted = b"/Encrypt" in data  # encrypted streams do not inflate as they are: no damage can be told
    broken: list[str] = []
    total = 0
    ratio = limits.pdf_max_ratio()
    ratio_cap = max(limits.RATIO_FLOOR, ratio * len(data)) if ratio > 0 else float("inf")
    view = memoryview(data)
    for match in _STREAM.finditer(data):
        start = match.end()
        at = bisect.bisect_right(headers, match.start()) - 1
        # The dictionary before `stream` (a `>>stream` planted inside another stream's data must not make this a
        # copy of megabytes each time: a dictionary is never that long).
        since = max(headers[at] if at >= 0 else 0, match.start() - 65536)
        dictionary = data[since:match.start() + 2]
        filters = _filters(dictionary)
        if b"/ObjStm" in dictionary:
            n = _OBJSTM_N.search(dictionary)
            objects += int(n.group(1) or n.group(2)) if n else 0
            if objects > max_objects:
                raise _Stop(_too_many_objects(objects, max_objects))
        scan_names = not hint and (b"/ObjStm" in dictionary or b"/XRef" not in dictionary)
        size = 0
        explicit_flate = filters[:1] in (["FlateDecode"], ["Fl"]) and not encrypted
        try:
            for chunk in _chunks(view, start, filters, max_stream + 1):
                size += len(chunk)
                if scan_names and _ACTIVE_HINT.search(chunk):
                    hint = True
                    scan_names = False
                if size > max_stream:
                    raise _Stop(Finding(
                        FindingCode.PDF_STREAM_TOO_LARGE,
                        _("A compressed part of the PDF unpacks to more than %(max)s MB, the limit for one part; it may "
                          "be a decompression bomb. Save the document again (for example print it to PDF) and upload "
                          "that.") % {"max": max_stream // limits.MB},
                        data={"max_mb": max_stream // limits.MB, "setting": "YUNTING_PDF_MAX_STREAM_MB"}))
                if total + size > ratio_cap:
                    raise _Stop(Finding(
                        FindingCode.PDF_DECOMPRESSION_BOMB,
                        _("The compressed parts of the PDF unpack to more than %(ratio)s times the size of the file, the "
                          "limit; it is probably a decompression bomb. Save the document again (for example print it to "
                          "PDF) and upload that.") % {"ratio": ratio},
                        data={"max_ratio": ratio, "setting": "YUNTING_PDF_MAX_RATIO"}))
                if total + size > max_total:
                    raise _Stop(Finding(
                        FindingCode.PDF_DECOMPRESSION_BOMB,
                        _("The compressed parts of the PDF unpack to more than %(max)s MB together, the limit for one "
                          "file; it may be a decompression bomb. Split the document or save it again (for example "
                          "print it to PDF) and upload that.") % {"max": max_total // limits.MB},
                        data={"max_mb": max_total // limits.MB, "setting": "YUNTING_PDF_MAX_INFLATED_MB"}))
        except _Broken as exc:
            if explicit_flate:
                broken.append(str(exc))
        total += size
    if broken:
        log.info("damaged Flate streams: %s", broken[:3])
        raise _Stop(_damaged())
    return hint


def _too_many_objects(count: int, limit: int) -> Finding:
    return Finding(
        FindingCode.PDF_TOO_MANY_OBJECTS,
        _("The PDF consists of more than %(max)s objects, the limit for one file; it may be built to overload the "
          "check. Save the document again (for example print it to PDF), or split it, and upload that.")
        % {"max": limit},
        data={"objects": count, "max": limit, "setting": "YUNTING_PDF_MAX_OBJECTS"})


class _Over(bytes):
    """Stands for "more than any limit" (pypdf stopped decoding at its own): its length is huge, its bytes none."""

    def __len__(self) -> int:
        return 1 << 62


_OVER = _Over()
_FLATE = {"FlateDecode", "Fl"}
_SHRINKING = {"ASCIIHexDecode", "AHx", "ASCII85Decode", "A85"}
_EXPANDING = {"LZWDecode", "LZW", "RunLengthDecode", "RL"}


def _chunks(view: memoryview, start: int, filters: list[str], limit: int) -> Iterator[bytes]:
    try:
        yield from _decoded(view, start, filters, limit)
    except _Overflow:
        yield _OVER


def _decoded(view: memoryview, start: int, filters: list[str], limit: int) -> Iterator[bytes]:
    """The stream's data starting at `start`, decoded through its filter chain in chunks of at most CHUNK bytes,
    never more than `limit` bytes in all. Decoding stops at the end of the (first) compressed stream, at a filter
    that decodes images (DCT, JPX, JBIG2, CCITT: bounded by the pixel check), or at an error."""
    if not filters:  # unfiltered, or filters we cannot see (given by reference): Flate as often as it inflates
        yield from _inflate_nested(_raw(view, start), limit, depth=0)
        return
    source: Iterator[bytes] | None = None
    for position, name in enumerate(filters):
        if name in _FLATE:
            source = _inflate(_raw(view, start) if source is None else source, limit)
        elif name in _SHRINKING or name in _EXPANDING:
            later = set(filters[position + 1:])
            if source is None and name in _SHRINKING and not later & (_FLATE | _EXPANDING):
                # Text-safe encoding around an image (reportlab's ASCII85 + DCT): it only shrinks when decoded, so
                # its encoded size bounds it, counted without decoding it in Python.
                end = _find(view, b"endstream", start)
                source = _raw(view[:end if end >= 0 else len(view)], start)
                break
            if source is None:
                end = _find(view, b"endstream", start)
                encoded = bytes(view[start:end if end >= 0 else len(view)])
            else:
                encoded = b"".join(source)  # earlier stages are bounded by `limit` already
            decoded = _decode_whole(name, encoded, limit)
            source = iter([decoded[i:i + CHUNK] for i in range(0, len(decoded), CHUNK)])
        else:
            break  # an image codec or something unknown: nothing further to count here
        if position > 8:
            break
    if source is not None:
        yield from source


def _find(view: memoryview, needle: bytes, start: int) -> int:
    return view.obj.find(needle, start) if isinstance(view.obj, bytes) else bytes(view).find(needle, start)


def _raw(view: memoryview, start: int) -> Iterator[bytes]:
    for offset in range(start, len(view), CHUNK):
        yield view[offset:offset + CHUNK]


def _inflate_nested(chunks: Iterator[bytes], limit: int, depth: int) -> Iterator[bytes]:
    """Inflate; if what comes out is zlib data again (a filter chain hidden behind a reference), inflate that too
    — what is counted is the innermost output, which is what a reader would build."""
    out = _inflate(chunks, limit)
    first = next(out, b"")
    head = bytes(first[:2])
    if depth < 4 and _zlib_header(head) and len(first) > 2:
        yield from _inflate_nested(itertools.chain([first], out), limit, depth + 1)
        return
    if first:
        yield first
    yield from out


def _zlib_header(head: bytes) -> bool:
    return len(head) == 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _inflate(chunks: Iterator[bytes], limit: int) -> Iterator[bytes]:
    """Inflate zlib (or raw deflate) data chunk by chunk, at most CHUNK bytes of output held at once, stopping at the
    end of the compressed stream, an error or `limit` bytes out."""
    first = next(chunks, b"")
    head = bytes(first[:2])
    wbits = 15 if _zlib_header(head) else -15
    inflater = zlib.decompressobj(wbits)
    out = 0
    pending = first
    try:
        while True:
            while pending:
                piece = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if piece:
                    out += len(piece)
                    yield piece
                    if out > limit:
                        return
                if inflater.eof:
                    return
            pending = next(chunks, None)
            if pending is None:
                piece = inflater.flush()
                if piece:
                    yield piece
                if wbits > 0:  # the file ended inside the compressed data
                    raise _Broken("incomplete")
                return
    except zlib.error as exc:
        if wbits > 0 and "incorrect data check" not in str(exc):  # a checksum alone: the data is whole
            raise _Broken(str(exc)) from None
        return


_A85_SPACE = b"\x00\t\n\f\r "


def ascii85_decode(data: bytes) -> bytes:
    """ASCII85 (PDF's flavour: `z` for four zero bytes, `~>` ends it), vectorised with numpy: the standard
    library's decoder loops in Python (≈ 1 s for 2 MB, and reportlab wraps every stream in it)."""
    import numpy as np

    end = data.find(b"~>")
    text = (data if end < 0 else data[:end]).translate(None, _A85_SPACE)
    if text.startswith(b"<~"):
        text = text[2:]
    text = text.replace(b"z", b"!!!!!")
    full, rest = divmod(len(text), 5)
    padded = text + b"u" * ((5 - rest) % 5)
    digits = np.frombuffer(padded, dtype=np.uint8).astype(np.int64) - 33
    if digits.size and (digits.min() < 0 or digits.max() > 84):
        raise ValueError("not ASCII85")
    words = digits.reshape(-1, 5) @ np.array([85**4, 85**3, 85**2, 85, 1], dtype=np.int64)
    if words.size and words.max() > 0xFFFFFFFF:
        raise ValueError("ASCII85 group out of range")
    out = words.astype(">u4").tobytes()
    return out[: full * 4 + max(0, rest - 1)] if rest else out


def _decode_whole(name: str, data: bytes, limit: int) -> bytes:
    """ASCIIHex / ASCII85 only shrink; LZW and RunLength are decoded by pypdf under its own output limit (rare in
    practice, and never chained after a bomb: the earlier stages are bounded)."""
    from pypdf import filters as pdf_filters
    from pypdf.errors import PyPdfError

    try:
        if name in ("ASCIIHexDecode", "AHx"):
            return pdf_filters.ASCIIHexDecode.decode(data)
        if name in ("ASCII85Decode", "A85"):
            return ascii85_decode(data)
        if name in ("RunLengthDecode", "RL"):
            return pdf_filters.RunLengthDecode.decode(data)[: limit + 1]
        return pdf_filters.LZWDecode.decode(data)[: limit + 1]
    except PyPdfError as exc:  # pypdf's own output limit: past ours as well, or damaged
        log.info("stream not decodable in the pre-scan: %s", exc)
        if "limit" in str(exc).lower():
            raise _Overflow from None
        return b""
    except (ValueError, TypeError, IndexError, KeyError):
        return b""


# --- 2. the structural pass (qpdf) --------------------------------------------------------------------------------
# qpdf warnings that mean something was lost (not merely a cross-reference table rebuilt from the objects).
_LOSS = re.compile(r"unable to|treating stream as empty|expected endstream|expected endobj|EOF|parse error|"
                   r"unknown token|error decoding|stream data|truncat|unexpected", re.I)
_REBUILT = re.compile(r"file is damaged|reconstruct|can't find startxref|xref not found|startxref", re.I)
MAX_WALK_DEPTH = 12
MAX_FORM_DEPTH = 8


def structure(data: bytes, *, active_hint: bool = True) -> tuple[list[Finding], int | None]:
    """Open the (pre-scanned) PDF with qpdf and read all of it: (the problems found, the page count when the PDF
    is plainly born-digital — `inspect.born_digital_pages`, asked while qpdf has it open — else None). An
    encrypted PDF is left to the page checks, which refuse it."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return [], None
    except (pikepdf.PdfError, ValueError, RuntimeError, OSError) as exc:
        log.info("qpdf cannot open the PDF: %s", exc)
        return [Finding(FindingCode.PDF_UNREADABLE, _(
            "The file is damaged or is not a valid PDF, so it cannot be read."))], None
    with pdf:
        if pdf.is_encrypted:
            return [], None
        problems: list[Finding] = []
        warnings = pdf.get_warnings()
        rebuilt = any(_REBUILT.search(w) for w in warnings)
        lost = [w for w in warnings if _LOSS.search(w) and not _REBUILT.search(w)]
        from .inspect import born_digital_pages, max_document_pages, too_many_pages

        if len(pdf.pages) > max_document_pages():  # before reading them all
            return [too_many_pages(len(pdf.pages))], None
        xref = pdf.get_xref_table()
        if len(xref) > limits.pdf_max_objects():
            return [_too_many_objects(len(xref), limits.pdf_max_objects())], None
        try:
            pdf._decode_all_streams_and_discard()  # what `qpdf --check` does; every stream is bounded (prescan)
            pages = list(pdf.pages)
        except (pikepdf.PdfError, RuntimeError, ValueError) as exc:
            lost.append(str(exc))
            pages = []
        lost += [w for w in pdf.get_warnings() if _LOSS.search(w)]
        unreadable: list[int] = []
        big: list[tuple[int, int, int]] = []
        for number, page in enumerate(pages, start=1):
            try:
                if not _page_readable(page.obj, pikepdf):
                    unreadable.append(number)
                    continue
                big += [(number, w, h) for w, h in _images(page.obj.get("/Resources"), pikepdf, 0)]
            except (pikepdf.PdfError, RuntimeError, ValueError, TypeError, AttributeError) as exc:
                log.info("page %s unreadable: %s", number, exc)
                unreadable.append(number)
        if rebuilt and not lost and not unreadable:
            lost += _dangling(pdf, set(xref), pikepdf)
        if lost or unreadable:
            log.info("damaged PDF: %s; unreadable pages %s", lost[:5], unreadable[:5])
            problems.append(_damaged(unreadable))
        if big:
            number, width, height = big[0]
            limit = limits.image_max_pixels()
            problems.append(Finding(
                FindingCode.PDF_IMAGE_TOO_LARGE,
                _("Page %(page)s of the PDF holds an image of %(width)s×%(height)s pixels; an image may have at most "
                  "%(max_mp)s million pixels. Reduce its resolution and upload it again.")
                % {"page": number, "width": width, "height": height, "max_mp": limits.megapixels(limit)},
                page=number, data={"width": width, "height": height, "max_pixels": limit,
                                   "setting": "YUNTING_IMAGE_MAX_PIXELS"}))
        if active_hint:
            problems += _active(pdf, pikepdf)
        return problems, (None if problems else born_digital_pages(pdf))


def _damaged(pages: list[int] | None = None) -> Finding:
    if pages:
        from .inspect import _page_labels

        return Finding(FindingCode.PDF_DAMAGED, _(
            "The PDF is damaged: page %(pages)s cannot be read completely, so the document would not display "
            "whole. Upload an undamaged copy (for example print the original to PDF again).")
            % {"pages": _page_labels(pages)}, page=pages[0] if len(pages) == 1 else None, data={"pages": pages})
    return Finding(FindingCode.PDF_DAMAGED, _(
        "The PDF is damaged: parts of it cannot be read, so the document would not display whole. Upload an "
        "undamaged copy (for example print the original to PDF again)."))


def _page_readable(page, pikepdf) -> bool:
    """The page's content streams exist (a reference to a lost object reads as null)."""
    if "/Contents" not in page:
        return True  # an empty page: legal, and the blank check speaks about it
    contents = page.get("/Contents")
    items = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return all(isinstance(item, pikepdf.Stream) for item in items)


def _images(resources, pikepdf, depth: int) -> Iterator[tuple[int, int]]:
    """(width, height) of each image on a page (forms followed) over the pixel limit."""
    if not isinstance(resources, pikepdf.Dictionary) or depth > MAX_FORM_DEPTH:
        return
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    limit = limits.image_max_pixels()
    for _name, xobject in xobjects.items():
        if not isinstance(xobject, pikepdf.Stream):
            continue
        subtype = xobject.get("/Subtype")
        if subtype == pikepdf.Name.Image:
            try:
                width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
            except (TypeError, ValueError):
                continue
            if width * height > limit:
                yield width, height
        elif subtype == pikepdf.Name.Form:
            yield from _images(xobject.get("/Resources"), pikepdf, depth + 1)


# These walks read every object of every uploaded PDF, and each pikepdf call costs microseconds: so a dictionary is
# read with one `items()` and kinds are told by type code (`isinstance(x, pikepdf.Name)` goes through a metaclass;
# scalars come back as Python int, Decimal, bool or None, with no type code: hence `type(x) is pikepdf.Object` first).
def _dangling(pdf, known: set, pikepdf) -> list[str]:
    """After the cross-reference table was rebuilt: references to objects that were not found (lost in the
    damage)."""
    missing: list[str] = []
    pdf_object, kinds = pikepdf.Object, pikepdf.ObjectType
    mappings, array = (kinds.dictionary, kinds.stream), kinds.array
    containers = (kinds.dictionary, kinds.stream, kinds.array)

    def visit(obj, depth: int) -> None:
        if depth > MAX_WALK_DEPTH or len(missing) > 5:
            return
        code = obj._type_code
        if code in mappings:
            values = obj.values()
        elif code is array:
            values = obj
        else:
            return
        for value in values:
            if type(value) is not pdf_object:
                continue  # a number, boolean or null: neither a reference nor holds one
            if value.is_indirect:
                if value.objgen not in known and value.objgen != (0, 0):
                    missing.append(f"object {value.objgen} missing")
            elif value._type_code in containers:
                visit(value, depth + 1)

    for obj in pdf.objects:
        if type(obj) is pdf_object:
            visit(obj, 0)
    return missing


_ACTIONS = {
    "/JavaScript": FindingCode.PDF_JAVASCRIPT,
    "/Launch": FindingCode.PDF_LAUNCH,
    "/SubmitForm": FindingCode.PDF_ACTIVE_CONTENT,
    "/ImportData": FindingCode.PDF_ACTIVE_CONTENT,
    "/GoToE": FindingCode.PDF_EMBEDDED_FILE,
    "/RichMediaExecute": FindingCode.PDF_ACTIVE_CONTENT,
}
_KEYS = {
    "/JS": FindingCode.PDF_JAVASCRIPT,
    "/JavaScript": FindingCode.PDF_JAVASCRIPT,
    "/EmbeddedFiles": FindingCode.PDF_EMBEDDED_FILE,
    "/EF": FindingCode.PDF_EMBEDDED_FILE,
    "/XFA": FindingCode.PDF_XFA,
    "/RichMediaContent": FindingCode.PDF_ACTIVE_CONTENT,
}
_TYPES = {"/EmbeddedFile": FindingCode.PDF_EMBEDDED_FILE}
_SUBTYPES = {"/FileAttachment": FindingCode.PDF_EMBEDDED_FILE, "/RichMedia": FindingCode.PDF_ACTIVE_CONTENT,
             "/Movie": FindingCode.PDF_ACTIVE_CONTENT, "/Sound": FindingCode.PDF_ACTIVE_CONTENT,
             "/3D": FindingCode.PDF_ACTIVE_CONTENT}
# The keys whose name value marks active content, and the order their findings take in one dictionary (after those
# of its keys, whatever order items() gives: as when they were looked up one by one).
_NAMED = {"/S": (0, _ACTIONS), "/Type": (1, _TYPES), "/Subtype": (2, _SUBTYPES)}


def _active(pdf, pikepdf) -> list[Finding]:
    """Active content anywhere in the PDF (every object read, direct structures walked), one finding a kind."""
    found: dict[FindingCode, str] = {}
    pdf_object, kinds = pikepdf.Object, pikepdf.ObjectType
    mappings, array, name, null = (kinds.dictionary, kinds.stream), kinds.array, kinds.name_, kinds.null
    nested = (kinds.dictionary, kinds.array)  # a direct stream cannot be; indirect objects are visited on their own

    def visit(obj, depth: int) -> None:
        if depth > MAX_WALK_DEPTH:
            return
        code = obj._type_code
        if code in mappings:  # a stream's items() are its dictionary's
            children = []
            named = None
            for key, value in obj.items():
                # items() also yields the keys whose value is null (a lost reference), which are absent in PDF
                if key in _KEYS and value is not None and not (type(value) is pdf_object
                                                               and value._type_code is null):
                    found.setdefault(_KEYS[key], key)
                if type(value) is not pdf_object:
                    continue
                value_code = value._type_code
                if value_code is name:
                    if key in _NAMED and str(value) in _NAMED[key][1]:
                        order, table = _NAMED[key]
                        named = [*(named or ()), (order, table[str(value)], str(value))]
                elif value_code in nested and key != "/Parent" and key != "/P" and not value.is_indirect:
                    children.append(value)
            for _order, finding, what in sorted(named or ()):  # a key is in a dictionary once: orders differ
                found.setdefault(finding, what)
        elif code is array:
            if len(obj) > 4096:
                return
            children = [child for child in obj if type(child) is pdf_object and child._type_code in nested
                        and not child.is_indirect]
        else:
            return
        for child in children:
            visit(child, depth + 1)

    for obj in pdf.objects:
        if type(obj) is pdf_object:
            visit(obj, 0)
    if not found:
        return []  # the usual case: the messages are not worth translating
    messages = {
        FindingCode.PDF_JAVASCRIPT: _(
            "The PDF contains JavaScript, a program that could run when the document is opened. Remove it (for "
            "example print the document to PDF) and upload that copy."),
        FindingCode.PDF_LAUNCH: _(
            "The PDF contains an action that starts a program or opens another file. Remove it (for example print "
            "the document to PDF) and upload that copy."),
        FindingCode.PDF_EMBEDDED_FILE: _(
            "The PDF has files embedded in it (attachments), which no check can see into. Upload each attached file "
            "as a document of its own, and the PDF without them."),
        FindingCode.PDF_XFA: _(
            "The PDF is an XFA form, whose content a program builds when it is opened. Print it to an ordinary PDF "
            "and upload that."),
        FindingCode.PDF_ACTIVE_CONTENT: _(
            "The PDF contains active content (%(what)s) that plays media or sends data when opened. Remove it (for "
            "example print the document to PDF) and upload that copy."),
    }
    return [Finding(code, messages[code] % {"what": what.lstrip("/")} if "%(what)s" in messages[code]
                    else messages[code], data={"name": what.lstrip("/")})
            for code, what in found.items()]


# --- reading a PDF that is not being taken in (the public verification pages) ------------------------------------
_BOUNDS = {FindingCode.PDF_STREAM_TOO_LARGE, FindingCode.PDF_DECOMPRESSION_BOMB, FindingCode.PDF_TOO_MANY_OBJECTS}


def bounded(data: bytes) -> list[dict]:
    """Only the work bounds (one stream, all streams, ratio, objects), as dicts: run in the sandbox before a
    verification page lets pyHanko parse a visitor's PDF. Damage, polyglots and active content do not matter
    there: the file is only read to report on its signatures, never kept."""
    if data.find(b"%PDF-", 0, 1024) < 0:
        return []
    try:
        _bounded_streams(data)
    except _Stop as stop:
        if stop.finding.code in _BOUNDS:
            return [stop.finding.as_dict()]
    return []


# --- neutralising (a court may choose it over refusal) ----------------------------------------------------------
ACTIVE_CODES = frozenset({FindingCode.PDF_JAVASCRIPT, FindingCode.PDF_LAUNCH, FindingCode.PDF_EMBEDDED_FILE,
                          FindingCode.PDF_XFA, FindingCode.PDF_ACTIVE_CONTENT})
_DROP_KEYS = ("/AA", "/JS", "/XFA", "/EF", "/RichMediaContent")
_ACTION_KEYS = ("/A", "/OpenAction", "/Next", "/PA")


def active_content_policy() -> str:
    """`YUNTING_PDF_ACTIVE_CONTENT`: "refuse" (the default) or "neutralise" (file a copy without it; the original
    stays with the upload)."""
    from django.conf import settings

    value = str(getattr(settings, "YUNTING_PDF_ACTIVE_CONTENT", "refuse")).lower()
    return "neutralise" if value in ("neutralise", "neutralize") else "refuse"


def neutralise(data: bytes) -> bytes:
    """A copy of the PDF without its active content: actions that run JavaScript, launch, submit, import or play
    removed (links to pages and web addresses stay), additional actions, document JavaScript, embedded files and
    attachment annotations, XFA and rich media dropped. The caller checks the copy again like any upload."""
    import pikepdf

    def is_active(action) -> bool:
        if isinstance(action, pikepdf.Array):
            return False  # a destination, not an action
        if not isinstance(action, pikepdf.Dictionary):
            return False
        kind = action.get("/S")
        return (isinstance(kind, pikepdf.Name) and str(kind) in _ACTIONS) or "/JS" in action

    def clean(obj, depth: int) -> None:
        if depth > MAX_WALK_DEPTH:
            return
        if isinstance(obj, pikepdf.Stream | pikepdf.Dictionary):
            for key in _DROP_KEYS:
                if key in obj:
                    del obj[key]
            for key in _ACTION_KEYS:
                if key in obj and is_active(obj.get(key)):
                    del obj[key]
            names = obj.get("/Names")
            if isinstance(names, pikepdf.Dictionary):
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    if key in names:
                        del names[key]
            annots = obj.get("/Annots")
            if isinstance(annots, pikepdf.Array):
                keep = [a for a in annots if not (isinstance(a, pikepdf.Dictionary)
                                                  and str(a.get("/Subtype", "")) in _SUBTYPES)]
                if len(keep) != len(annots):
                    obj["/Annots"] = pikepdf.Array(keep)
            children = [v for k, v in obj.items() if k not in ("/Parent", "/P")]
        elif isinstance(obj, pikepdf.Array):
            children = list(obj) if len(obj) <= 4096 else []
        else:
            return
        for child in children:
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
                clean(child, depth + 1)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in list(pdf.objects):
            clean(obj, 0)
        if isinstance(pdf.Root.get("/Names"), pikepdf.Dictionary):
            clean(pdf.Root, 0)
        out = io.BytesIO()
        pdf.remove_unreferenced_resources()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()

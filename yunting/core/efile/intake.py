"""The one checked intake: every path that takes in a document (a filing's upload on the web or the API, an
institution's batch ZIP, a case e-file submission, hearing and exchange uploads to come) goes through here.

1. `upload_receive` (in the request): the bytes are streamed to the blob store, size-bounded (the upload limit
   and the owner's storage quota), their type proved by magic bytes (plain ZIPs are not evidence), and an
   `Upload` bound to the uploader (a person or an institution) is recorded and answered at once;
2. `upload_check` (a background job, never the web request): the content is inspected in the sandbox
   (kernel.scan.sandbox: bounded memory, CPU and wall-clock time) — pages, blank pages, scan resolution, damaged
   or encrypted PDFs, oversized images — and a photo of paper is straightened into a PDF page; the upload ends
   `accepted` (what enters the file is `document`) or `refused` (every problem listed, its bytes deleted unless
   something else holds them). The app the upload was for then takes it in (`register_upload_handler`): the
   filing attaches it, the e-file journals it.

Only an Upload may carry stored content into a filing, a batch record or a case: a SHA-256 alone never does.
"""

from __future__ import annotations

import io
import logging
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yunting.kernel.blobs.models import Blob
from yunting.kernel.blobs.sniff import ALLOWED_MIME_TYPES
from yunting.kernel.common.errors import ApplicationError, ValidationFailed

from .models import Upload, UploadPart, UploadStatus

log = logging.getLogger(__name__)
PDF = "application/pdf"
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/tiff"}
# What may enter a file as a document. A ZIP is a batch's envelope, never evidence: nobody can read it in the
# e-file, and it hides what it holds from every check.
DOCUMENT_TYPES = frozenset(ALLOWED_MIME_TYPES - {"application/zip"})
MB = 1024 * 1024


def quota_bytes(*, institution: bool) -> int:
    name = "YUNTING_QUOTA_INSTITUTION_MB" if institution else "YUNTING_QUOTA_USER_MB"
    return int(getattr(settings, name, 204_800 if institution else 5_120)) * MB


def quota_used(*, user=None, institution=None) -> int:
    """Bytes the owner's uploads hold (refused ones hold nothing)."""
    owner = Q(institution=institution) if institution is not None else Q(user=user, institution__isnull=True)
    return Upload.objects.filter(owner).exclude(status=UploadStatus.REFUSED).aggregate(s=Sum("size"))["s"] or 0


def _quota_error(*, used: int, limit: int, size: int | None) -> ValidationFailed:
    data = {"used_mb": round(used / MB, 1), "quota_mb": round(limit / MB, 1)}
    if size is not None:
        data["size_mb"] = round(size / MB, 1)
        message = _("Storage quota exceeded: %(used_mb)s MB of %(quota_mb)s MB are used, and this file has "
                    "%(size_mb)s MB. Ask the court to raise the quota.") % data
    else:
        message = _("Storage quota exceeded: %(used_mb)s MB of %(quota_mb)s MB are used. Ask the court to raise "
                    "the quota.") % data
    return ValidationFailed(message, code="upload_quota", data=data)


# --- completion handlers ---------------------------------------------------------------------------------------
_handlers: dict[str, Callable[[Upload], dict[str, Any]]] = {}


def register_upload_handler(purpose: str, handler: Callable[[Upload], dict[str, Any]]) -> None:
    """`handler(upload)` runs in the transaction that accepts an upload of `purpose`: it takes the document in
    (and returns what it became, kept in `upload.outcome`) or raises ValidationFailed, which refuses the upload."""
    _handlers[purpose] = handler


# --- 1. receive ------------------------------------------------------------------------------------------------
_PURPOSE = re.compile(r"[a-z][a-z_]*")


def _check_purpose(purpose: str) -> None:
    """A purpose is a name in the code, never input: a wrong one is the caller's bug, refused on every database
    before anything is stored (PostgreSQL alone would refuse one longer than its column, at the insert)."""
    limit = Upload._meta.get_field("purpose").max_length
    if not _PURPOSE.fullmatch(purpose or "") or len(purpose) > limit:
        raise ValueError(f"upload purpose {purpose!r}: lower-case letters and '_', at most {limit} characters")


def upload_receive(*, streams: Sequence[BinaryIO], purpose: str, user=None, institution=None, subject: str = "",
                   intent: dict[str, Any] | None = None) -> Upload:
    """Store what was sent and record the Upload (status `checking`); its check is enqueued after commit.

    Refuses at once, storing nothing, what needs no reading of the content: an empty or oversized file, a type
    the magic bytes do not allow, several files that are not all photos, an owner over quota.

    `intent` is kept for the purpose's handler; `{"drawn": True}` marks strokes from a signature pad, which the
    check holds to a pad's rules and keeps as they are instead of straightening them like a photo of paper
    (`strokes_through_intake` is the way in for them)."""
    from yunting.kernel.blobs.references import blob_delete_unreferenced
    from yunting.kernel.blobs.store import blob_put

    if user is None and institution is None:
        raise ValueError("an upload needs an owner")
    _check_purpose(purpose)
    if not streams:
        raise ValidationFailed(_("Choose a file to upload."), code="upload_missing")
    limit = quota_bytes(institution=institution is not None)
    used = quota_used(user=user, institution=institution)
    stored: list[Blob] = []
    try:
        for i, stream in enumerate(streams, start=1):
            room = limit - used - sum(b.size for b in stored)
            declared = getattr(stream, "size", None)
            if room <= 0 or (declared is not None and declared > room):
                raise _quota_error(used=used + sum(b.size for b in stored), limit=limit, size=declared)
            try:
                blob = blob_put(stream, max_bytes=min(settings.UPLOAD_MAX_BYTES, room), allowed=DOCUMENT_TYPES)
            except ValidationFailed as exc:
                if exc.code == "upload_too_large" and room < settings.UPLOAD_MAX_BYTES:
                    raise _quota_error(used=used, limit=limit, size=None) from None
                if len(streams) > 1:
                    exc.data = {**exc.data, "file": i}
                raise
            stored.append(blob)
            if len(streams) > 1 and blob.mime_type not in PHOTO_TYPES:
                raise ValidationFailed(
                    _("Only photos can be combined into one document (file %(n)d is not a photo).") % {"n": i},
                    code="photos_only", data={"file": i})
        with transaction.atomic():
            upload = Upload.objects.create(
                user=user, institution=institution, purpose=purpose, subject=subject, intent=intent or {},
                language=translation.get_language() or settings.LANGUAGE_CODE, sha256=stored[0].sha256,
                size=sum(b.size for b in stored), mime_type=stored[0].mime_type)
            UploadPart.objects.bulk_create([UploadPart(upload=upload, position=i, blob=b) for i, b in enumerate(stored)])
    except BaseException:
        blob_delete_unreferenced({b.sha256 for b in stored})  # nothing refused stays behind
        raise
    after_commit(lambda: _enqueue_check(upload.pk))
    return upload


def after_commit(fn: Callable[[], None]) -> None:
    """Run `fn` once the caller's transaction commits — now, when no transaction of the application is open
    (a test case's own wrapping transaction does not count: there the job runs at once, as in production right
    after the commit)."""
    from django.db import connection

    if all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        fn()
    else:
        transaction.on_commit(fn)


def _enqueue_check(upload_id: str) -> None:
    from .tasks import efile_upload_check

    try:
        efile_upload_check.enqueue(upload_id=upload_id)
    except Exception:  # the periodic job `efile.uploads` picks it up
        log.exception("could not enqueue the check of upload %s", upload_id)


# --- 2. check (background) ---------------------------------------------------------------------------------------
@dataclass
class Examined:
    """What the sandboxed check found for one upload (picklable: it crosses the process boundary)."""

    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    page_count: int | None = None
    pdf: bytes | None = None  # the PDF made from photos of paper, if one was made


def examine(parts: list[tuple[str, str, bytes | None]], *, straighten: bool = True,
            drawn: bool = False) -> Examined:
    """Runs in the sandbox child: inspect each part ((sha256, mime type, bytes or None to read them from the
    store)); one photo of paper, or several photos, become a PDF. No database is touched here.

    `drawn`: strokes from a signature pad, held to a pad's rules instead of a document photo's (`_drawn_problem`)."""
    from yunting.kernel.blobs.store import blob_read
    from yunting.kernel.scan import inspect_document
    from yunting.kernel.scan.findings import FindingCode

    out = Examined()
    datas = []
    for i, (sha, mime, data) in enumerate(parts, start=1):
        data = data if data is not None else blob_read(sha)
        if drawn and (problem := _drawn_problem(data, mime)):
            out.problems.append(problem)
            continue
        inspection = inspect_document(data, mime, max_text_pages=0)
        if drawn:
            inspection.problems = [f for f in inspection.problems if f.code != FindingCode.IMAGE_LOW_RESOLUTION]
        if mime == PDF and len(parts) == 1 and _neutralisable(inspection):
            inspection = _neutralised(data, inspection, sha, out)
        for finding in inspection.problems:
            problem = finding.as_dict()
            if len(parts) > 1:
                problem["message"] = _("Photo %(n)d: %(message)s") % {"n": i, "message": problem["message"]}
                problem["data"] = {**problem.get("data", {}), "file": i}
            out.problems.append(problem)
        out.notes += [w.as_dict() for w in inspection.warnings]
        if mime == PDF:
            out.page_count = inspection.pages
        datas.append(data)
    if out.problems:
        return out
    if len(parts) > 1 or (parts[0][1] in PHOTO_TYPES and straighten):
        from yunting.kernel.scan import photos_to_pdf

        result = photos_to_pdf(datas)
        if len(parts) > 1 or result.pages[0].paper_found:
            out.pdf, out.page_count = result.pdf, len(result.pages)
            found = sum(1 for p in result.pages if p.paper_found)
            out.notes.append({
                "code": "photo_straightened", "page": None,
                "data": {"pages": len(result.pages), "paper_found": found, "sources": [p[0] for p in parts]},
                "message": _("Made into a PDF from %(pages)d photo(s); the paper was found and straightened on "
                             "%(found)d.") % {"pages": len(result.pages), "found": found}})
    return out


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height as a PNG's header states them (nothing decoded); None when the header is not a PNG's."""
    if len(data) < 24 or not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _drawn_problem(data: bytes, mime: str) -> dict[str, Any] | None:
    """Strokes from a signature pad are a PNG no larger than the largest pad draws, checked from its header before
    a pixel is decoded (20 KB of PNG can state 13,000 × 13,000 pixels: 169 million, under the limit for a photo
    of paper). A pad's drawing is not a scan, so a document photo's minimum resolution does not apply to it;
    the other image checks (damaged, truncated, blank) do."""
    from yunting.kernel.documents.signing.stamps import STROKES_MAX_PIXELS, STROKES_MAX_SIDE

    size = _png_size(data) if mime == "image/png" else None
    if size is None:
        return {"code": "strokes_not_png", "page": None, "data": {"detected": mime},
                "message": _("The signature is not a PNG image from the signature pad. Sign again in the box.")}
    width, height = size
    if max(width, height) > STROKES_MAX_SIDE or width * height > STROKES_MAX_PIXELS:
        return {"code": "strokes_too_large", "page": None,
                "data": {"width": width, "height": height, "max_side": STROKES_MAX_SIDE,
                         "max_pixels": STROKES_MAX_PIXELS},
                "message": _("The signature is %(width)s×%(height)s pixels, larger than any signature pad draws "
                             "(at most %(max_side)s pixels a side). Sign again in the box.")
                % {"width": width, "height": height, "max_side": STROKES_MAX_SIDE}}
    return None


def _neutralisable(inspection) -> bool:
    """Refused for active content only, where the court files a neutralised copy instead
    (`YUNTING_PDF_ACTIVE_CONTENT=neutralise`)."""
    from yunting.kernel.scan import pdfguard

    codes = {f.code for f in inspection.problems}
    return bool(codes) and codes <= pdfguard.ACTIVE_CODES and pdfguard.active_content_policy() == "neutralise"


def _neutralised(data: bytes, inspection, sha: str, out: Examined):
    """The copy without active content, checked again like any upload: it becomes the document (the original stays
    the upload's part, so nothing of what was sent is lost). If the copy does not pass, the refusal stands."""
    from yunting.kernel.scan import inspect_document, pdfguard

    try:
        copy = pdfguard.neutralise(data)
    except Exception:  # noqa: BLE001 (qpdf could not rewrite it: the refusal stands)
        log.exception("could not neutralise a PDF")
        return inspection
    again = inspect_document(copy, PDF, max_text_pages=0)
    if not again.ok:
        return inspection
    removed = sorted({f.data.get("name", str(f.code)) for f in inspection.problems})
    out.pdf = copy
    out.notes.append({
        "code": "pdf_neutralised", "page": None, "data": {"removed": removed, "original": sha},
        "message": _("The PDF's active content (%(what)s) was removed: the copy without it is filed, the original "
                     "is kept with the upload.") % {"what": ", ".join(removed)}})
    return again


def examine_many(items: list[list[tuple[str, str, bytes | None]]]) -> list[Examined | Any]:
    """Runs in the sandbox child: several uploads in one task (a batch's documents), each under a fresh CPU
    budget; an item that runs out of memory is reported as such and the others go on."""
    from yunting.kernel.scan.sandbox import SandboxLimit, rearm_cpu

    out: list[Examined | Any] = []
    for parts in items:
        rearm_cpu()
        try:
            out.append(examine(parts))
        except MemoryError:
            out.append(SandboxLimit("memory"))
    return out


LIMIT_MESSAGES = {  # gettext_noop: translated when a refusal is written, in the uploader's language
    "memory": gettext_noop("Checking the file needed more than %(memory)s MB of memory; it may be a decompression bomb. Reduce "
              "or split it and upload it again."),
    "cpu": gettext_noop("Checking the file took more than %(cpu)s s of computing time; it may be built to stall the check. "
           "Save it again (for example print it to PDF) and upload that."),
    "timeout": gettext_noop("Checking the file took longer than %(timeout)s s. Save it again (for example print it to PDF) "
               "and upload that."),
    "crashed": gettext_noop("The file made the checker fail, so it cannot be accepted. Save it again and upload "
                            "that."),
}


def limit_problem(limit) -> dict[str, Any]:
    """A SandboxLimit as a problem the uploader reads, naming the limit."""
    from yunting.kernel.scan import sandbox

    values = {"memory": sandbox.memory_mb(), "cpu": sandbox.cpu_seconds(), "timeout": int(sandbox.timeout_seconds())}
    return {"code": f"scan_limit_{limit.kind}", "message": _(LIMIT_MESSAGES[limit.kind]) % values, "page": None,
            "data": {"limit": limit.kind, **values}}


def pdf_read_problem(data: bytes) -> str:
    """Before a page parses a PDF it does not take in (the public verification pages: pyHanko reads the visitor's
    file in the request), the same work bounds as the intake, checked in the sandbox: the message of the first
    bound passed, or "" when the file may be parsed."""
    from yunting.kernel.scan.sandbox import SandboxLimit, sandbox_run

    result = sandbox_run("yunting.kernel.scan.pdfguard:bounded", data)
    if isinstance(result, SandboxLimit):
        return limit_problem(result)["message"]
    return result[0]["message"] if result else ""


def upload_check(*, upload_id: str) -> Upload:
    """The background job: check an upload in the sandbox, then accept it (and let its app take it in) or refuse
    it (deleting its bytes unless something else holds them). Idempotent: a decided upload is left alone."""
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.scan.sandbox import SandboxLimit, sandbox_run

    upload = Upload.objects.select_related("user", "institution").get(pk=upload_id)
    if upload.status != UploadStatus.CHECKING:
        return upload
    parts = [(p.blob_id, p.blob.mime_type, None) for p in upload.parts.select_related("blob")]
    with translation.override(upload.language or settings.LANGUAGE_CODE):
        # strokes drawn on a signature pad are not a photo of paper: a signature drawn across the whole box looks
        # like a sheet's outline, and straightening would turn it into a PDF
        straighten = getattr(settings, "YUNTING_STRAIGHTEN_PHOTOS", True) and not upload.intent.get("drawn")
        result = sandbox_run("yunting.core.efile.intake:examine", parts, straighten=straighten,
                             drawn=bool(upload.intent.get("drawn")), weight=len(parts))
        if isinstance(result, SandboxLimit):
            result = Examined(problems=[limit_problem(result)])
        document = None
        if not result.problems:
            document = blob_put_bytes(result.pdf, allowed={PDF}) if result.pdf else Blob.objects.get(pk=parts[0][0])
        return _decide(upload, result, document)


def _decide(upload: Upload, result: Examined, document: Blob | None) -> Upload:
    problems = list(result.problems)
    forget: set[str] = set()
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != UploadStatus.CHECKING:
            return locked
        outcome: dict[str, Any] = {}
        if not problems:
            locked.document, locked.notes, locked.page_count = document, result.notes, result.page_count
            handler = _handlers.get(locked.purpose)
            try:
                with transaction.atomic():  # a refusal by the handler undoes only what the handler did
                    outcome = handler(locked) if handler is not None else {}
            except ValidationFailed as exc:
                problems = [{"code": exc.code, "message": str(exc.message), "page": None, "data": exc.data}]
        if problems:
            locked.status, locked.problems, locked.document, locked.notes = UploadStatus.REFUSED, problems, None, []
            locked.page_count = None
        else:
            locked.status, locked.outcome = UploadStatus.ACCEPTED, outcome or {}
        locked.checked_at = timezone.now()
        locked.save(update_fields=["status", "problems", "notes", "page_count", "document", "outcome", "checked_at"])
        if locked.status == UploadStatus.REFUSED:
            forget = set(locked.parts.values_list("blob_id", flat=True)) | ({document.pk} if document else set())
            locked.parts.all().delete()
    if forget:
        after_commit(lambda: _forget(forget))
    return locked


def _forget(hashes: set[str]) -> None:
    from yunting.kernel.blobs.references import blob_delete_unreferenced

    try:
        blob_delete_unreferenced(hashes)
    except Exception:  # the sweep deletes them later
        log.exception("could not delete a refused upload's bytes")


def uploads_check_stuck(*, older_than_s: int | None = None) -> int:
    """Periodic: uploads still checking long after they came in (a lost job, a crashed worker) are checked again.
    "Long" is well past the sandbox's own time limit, so a check still running is not started twice (and were
    it, the second decision finds the upload decided and changes nothing)."""
    from yunting.kernel.scan.sandbox import timeout_seconds

    older_than_s = older_than_s if older_than_s is not None else max(600, int(timeout_seconds() * 5))
    cutoff = timezone.now() - timedelta(seconds=older_than_s)
    ids = list(Upload.objects.filter(status=UploadStatus.CHECKING, created_at__lt=cutoff)
               .values_list("pk", flat=True)[:200])
    for upload_id in ids:
        _enqueue_check(upload_id)
    return len(ids)


# --- reading the outcome ---------------------------------------------------------------------------------------
def upload_refusal(upload: Upload) -> ValidationFailed:
    """A refused upload as the error the old synchronous answer gave: every problem, the first one's code."""
    problems = upload.problems or []
    name = upload.title
    prefix = f"{name}：" if name else ""
    message = prefix + " ".join(p["message"] for p in problems).replace("。 ", "。")  # Chinese needs no space
    return ValidationFailed(message, code=problems[0]["code"] if problems else "upload_refused",
                            data={"problems": problems, "upload_id": upload.pk})


def _through_intake(*, stream: BinaryIO, user, purpose: str, subject: str, intent: dict[str, Any] | None = None,
                    refused: Callable[[ValidationFailed], ApplicationError] | None = None) -> tuple[Upload, bytes]:
    """One file received and checked while the caller waits: the accepted Upload and its document's bytes.

    A refused check raises `upload_refusal`, or `refused(that refusal)` chained to it when the caller words
    refusals itself; what `upload_receive` refuses (quota, size, type) passes through as it raised it."""
    from yunting.kernel.blobs.store import blob_read

    upload = upload_receive(streams=[stream], purpose=purpose, user=user, subject=subject, intent=intent)
    upload = upload_check(upload_id=upload.pk)
    if upload.status != UploadStatus.ACCEPTED:
        refusal = upload_refusal(upload)
        if refused is None:
            raise refusal
        raise refused(refusal) from refusal
    return upload, blob_read(upload.document_id)


def file_through_intake(*, stream: BinaryIO, user, purpose: str, subject: str) -> bytes:
    """One file taken in and checked while the caller waits, for a record that needs its bytes at once (a call
    recording on a service attempt): the same intake as every upload, the refusal raised as the intake words
    it. Call it before the caller's own transaction, so a refused file stays on record as a refused upload."""
    return _through_intake(stream=stream, user=user, purpose=purpose, subject=subject)[1]


# --- strokes from a signature pad ------------------------------------------------------------------------------
STROKES_MAX_BYTES = 2_000_000  # far more than any pad's drawing: refused before a byte is stored


@dataclass(frozen=True)
class DrawnStrokes:
    """Strokes the intake accepted: the bytes as drawn, and the stored blob that a record and its journal entry
    name (never a second copy stored beside the upload)."""

    png: bytes
    sha256: str
    upload_id: str


def strokes_through_intake(*, png: bytes, user, purpose: str, subject: str,
                           invalid: Callable[[str], ApplicationError]) -> DrawnStrokes:
    """Hand-drawn signature strokes enter like every upload: the one checked intake (size, type proved by its
    bytes, quota, the sandboxed check under a signature pad's rules), waited for because the signature needs the
    answer. Call it before the signing transaction, so a refused upload stays on record as refused and nothing
    of the signing (no journal entry) is written.

    `purpose` names the path for the Upload row (at most 16 characters; no handler is registered, the caller
    takes the strokes in itself): payout_sign, space_receipt, transcript_sign, sharedcourt_sig, service_attempt,
    mediation_sign, witness_oath, paper_handsign. `invalid(message)` is the caller's own error (each workflow keeps its code):
    called with "" for what a cheap look refuses before anything is stored (not bytes, not a PNG, over 2 MB),
    and with the intake's own specific message (in the uploader's language) for what its check refused, whose
    problems and upload id are added to the error's data. What is not about the strokes (the owner's storage
    quota) passes through as the intake raised it."""
    data = bytes(png) if isinstance(png, bytes | bytearray) else b""
    if not data.startswith(b"\x89PNG") or len(data) > STROKES_MAX_BYTES:
        raise invalid("")

    def refused(refusal: ValidationFailed) -> ApplicationError:
        error = invalid(str(refusal.message))
        error.data = {**error.data, **refusal.data}
        return error

    upload, drawn = _through_intake(stream=io.BytesIO(data), user=user, purpose=purpose, subject=subject,
                                    intent={"drawn": True}, refused=refused)
    # drawn strokes are never straightened: the accepted document is the part as drawn
    return DrawnStrokes(png=drawn, sha256=upload.document_id, upload_id=upload.pk)


def uploads_of(*, user=None, institution=None):
    owner = Q(institution=institution) if institution is not None else Q(user=user, institution__isnull=True)
    return Upload.objects.filter(owner)


def upload_for(*, upload_id: str, user=None, institution=None) -> Upload | None:
    """The caller's own upload with this id; None for another's or none (the same answer)."""
    if not isinstance(upload_id, str) or not upload_id or len(upload_id) > 40:
        return None
    return uploads_of(user=user, institution=institution).filter(pk=upload_id).select_related("document").first()

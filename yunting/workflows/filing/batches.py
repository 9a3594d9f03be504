"""Batch filing by institutions (banks, telecoms): API keys, batches, and their processing.

A batch is JSON lines (one filing per line, with the institution's `external_id`), or a ZIP holding one
top-level `.jsonl` file plus the documents its records name as `{"path": "LN-1/借款合同.pdf", "title", "kind"}`.

A batch is stored first — the bytes in the blob store under their SHA-256, a FilingBatch row pointing to them —
and answered at once; a task then reads it in chunks. Each chunk is one transaction that creates the chunk's
filings *and* advances `processed_lines`, so a crash loses at most the chunk in flight and a rerun resumes
where the last commit left off. Records are idempotent on (institution, external_id): a record already filed is
counted as a duplicate and never filed twice, whether it comes again in the same batch, a resent batch, or a
resumed one.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yunting.core.people.choices import OrganisationKind, Role
from yunting.core.people.models import Membership, Organisation
from yunting.kernel.common import rawsql
from yunting.kernel.common.errors import NotFound, PermissionDenied, ValidationFailed
from yunting.kernel.scan.safezip import SafeZip, bounded_lines

from . import entries
from .choices import BatchStatus, FilingStatus
from .errors import FilingErrorCode
from .models import (
    Filing,
    FilingBatch,
    FilingDocument,
    FilingEvent,
    FilingParty,
    InstitutionApiKey,
    fingerprint,
)
from .services import _deadline
from .validation import Lookups, Problem, fee_for, validate_payload

log = logging.getLogger(__name__)
KEY_PREFIX = "ytk_"
CHUNK = 500
MAX_LINES = 100_000
MAX_REPORT = 100_000
ZIP_MAGIC = b"PK\x03\x04"


# --- keys ------------------------------------------------------------------------------------------------------
def _court_admin_court(actor) -> Organisation:
    m = Membership.objects.filter(user=actor, role=Role.COURT_ADMIN).select_related("organisation").first()
    if m is None:
        raise PermissionDenied(_("Only a court administrator can manage institution keys."), code=str(FilingErrorCode.NOT_REVIEWER))
    return m.organisation


@transaction.atomic
def institution_key_create(*, institution: Organisation, court: Organisation, actor=None,
                           rotate: bool = False) -> tuple[InstitutionApiKey, str]:
    """Issue a key (shown once). `rotate` revokes the institution's other keys for this court in the same
    transaction. `actor`, when given, must be an admin of `court`; the CLI runs as the operator."""
    if actor is not None and _court_admin_court(actor).pk != court.pk:
        raise PermissionDenied(_("Keys can be issued for your own court only."), code=str(FilingErrorCode.NOT_REVIEWER))
    if institution.kind == OrganisationKind.COURT:
        raise ValidationFailed(_("A court cannot be a batch-filing institution."), code="filing_key_institution")
    if rotate:
        InstitutionApiKey.objects.filter(institution=institution, court=court, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = InstitutionApiKey.objects.create(institution=institution, court=court, key_prefix=raw[:12],
                                           key_hash=InstitutionApiKey.hash(raw))
    return key, raw


def institution_key_revoke(*, prefix_or_id: str) -> InstitutionApiKey:
    ref = prefix_or_id.strip()
    qs = InstitutionApiKey.objects.filter(pk=int(ref)) if ref.isdigit() else InstitutionApiKey.objects.filter(
        key_prefix__startswith=ref)
    found = list(qs[:2])
    if len(found) != 1:
        raise NotFound(_("No single institution key matches."), code="filing_key_not_found")
    key = found[0]
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def institution_key_authenticate(raw: str) -> InstitutionApiKey | None:
    if not raw or not raw.startswith(KEY_PREFIX):
        return None
    key = (InstitutionApiKey.objects.select_related("institution", "court")
           .filter(key_hash=InstitutionApiKey.hash(raw.strip()), revoked_at__isnull=True).first())
    if key is not None:
        InstitutionApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


# --- batches ---------------------------------------------------------------------------------------------------
def _max_line() -> int:
    return settings.BATCH_MAX_LINE_BYTES  # YUNTING_BATCH_MAX_LINE_KB


def _records_limit() -> int:
    return int(getattr(settings, "YUNTING_BATCH_RECORDS_MAX_MB", 200)) * 1024 * 1024


def batch_create(*, key: InstitutionApiKey, body: bytes) -> FilingBatch:
    """Store the upload and its SHA-256, answer at once; processing starts after commit.

    The structure and the limits are checked first, reading the records line by line (a ZIP's members are
    never inflated past their limits). Sending the very same bytes again returns the existing batch."""
    from yunting.kernel.blobs.store import blob_put

    if not body.strip():
        raise ValidationFailed(_("The batch is empty."), code=str(FilingErrorCode.BATCH_INVALID))
    lines = sum(1 for line in _lines_of(io.BytesIO(body))[0] if isinstance(line, Exception) or line.strip())
    if lines > MAX_LINES:
        raise ValidationFailed(_("A batch holds at most %(max)d records.") % {"max": MAX_LINES}, code=str(FilingErrorCode.BATCH_INVALID),
                               data={"lines": lines})
    # the structure was just proved (a ZIP with one records file, or JSON lines): no sniffing, which could take
    # a stored ZIP whose first member is a PDF for a PDF
    blob = blob_put(io.BytesIO(body), mime_type="application/zip" if body.startswith(ZIP_MAGIC) else "application/x-ndjson")
    with transaction.atomic():
        existing = FilingBatch.objects.filter(institution=key.institution, court=key.court,
                                              sha256=blob.sha256).exclude(status=BatchStatus.FAILED).first()
        if existing is not None:
            return existing
        batch = FilingBatch.objects.create(institution=key.institution, court=key.court, sha256=blob.sha256,
                                           total_lines=lines, api_key=key)
        transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch


def _enqueue(batch_id: int) -> None:
    from .tasks import filing_batch_process

    try:
        filing_batch_process.enqueue(batch_id=batch_id)
    except Exception:  # stored and safe; `batch_resume_all` picks it up
        log.exception("could not enqueue filing batch %s", batch_id)


def _lines_of(stream) -> tuple[Any, SafeZip | None]:
    """The raw lines of a batch, read one at a time (each bounded by YUNTING_BATCH_MAX_LINE_KB): the body itself,
    or the one top-level .jsonl file of a ZIP whose other members are the documents the records name by `path`.
    The ZIP's limits (members, unpacked sizes, compression ratio) hold while it is read."""
    if stream.read(4) != ZIP_MAGIC:
        stream.seek(0)
        return bounded_lines(stream, max_line=_max_line()), None
    stream.seek(0)
    zf = SafeZip(stream)
    names = [n for n in zf.namelist() if n.endswith(".jsonl") and "/" not in n]
    if len(names) != 1:
        raise ValidationFailed(_("The ZIP must hold exactly one top-level .jsonl file (such as records.jsonl)."),
                               code=str(FilingErrorCode.BATCH_INVALID), data={"jsonl_files": names})
    return zf.lines(zf.getinfo(names[0]), max_line=_max_line(), limit=_records_limit()), zf


SMALL_DOCUMENT = 8 * 1024 * 1024  # ZIP members up to this size are read into memory and stored in bulk
CHECK_CHUNK = 50  # documents per sandboxed task: few round trips, and a killed task redoes few
AHEAD = 2  # chunks stored and handed to the sandbox before the one being filed


def _zip_paths(records: list) -> list[str]:
    return list(dict.fromkeys(
        str(d["path"]) for _n, record in records if isinstance(record, dict)
        and isinstance(record.get("documents"), list)
        for d in record["documents"] if isinstance(d, dict) and d.get("path") and not d.get("sha256")
        and not d.get("upload_id")))


def _store_zip_documents(records: list, zf: SafeZip) -> dict[str, tuple[Any, bytes | None]]:
    """Store the documents a chunk's records name by `path` through the intake's checks on type and size: small
    ones read (bounded) and stored in one bulk call, bigger ones streamed. {path: (Blob or the ValidationFailed
    refusing it, bytes if read)}; paths not in the ZIP are left out. The quota is applied by _apply_quota."""
    from yunting.core.efile.intake import DOCUMENT_TYPES
    from yunting.kernel.blobs.store import blob_put, blob_put_many

    member_limit = min(zf.limits.member_bytes, settings.UPLOAD_MAX_BYTES)
    small, stored = [], {}
    for path in _zip_paths(records):
        try:
            info = zf.getinfo(path)
        except KeyError:
            continue
        try:
            if info.file_size <= SMALL_DOCUMENT:
                small.append((path, zf.read_small(info, limit=member_limit)))
            else:
                with zf.open(info, limit=member_limit) as fh:
                    stored[path] = (blob_put(fh, allowed=DOCUMENT_TYPES), None)
        except ValidationFailed as exc:
            stored[path] = (exc, None)
    for (path, data), result in zip(small, blob_put_many([data for _p, data in small], allowed=DOCUMENT_TYPES),
                                    strict=True):
        stored[path] = (result, data)
    return stored


def _apply_quota(stored: dict[str, tuple[Any, bytes | None]], institution) -> dict[str, tuple[Any, bytes | None]]:
    """Refuse, in order, the stored documents past the institution's quota (counted once the chunks before are
    filed, so a refused document of an earlier chunk holds nothing)."""
    from yunting.core.efile.intake import _quota_error, quota_bytes, quota_used

    limit, used = quota_bytes(institution=True), quota_used(institution=institution)
    for path, (blob, _data) in stored.items():
        if isinstance(blob, ValidationFailed):
            continue
        if used + blob.size > limit:
            stored[path] = (_quota_error(used=used, limit=limit, size=blob.size), None)
            continue
        used += blob.size
    return stored


@dataclass
class _Checks:
    """A chunk's documents handed to the sandbox (sandbox_submit), in tasks of CHECK_CHUNK documents."""

    chunks: list
    submitted: Any


def _submit_checks(stored: dict[str, tuple[Any, bytes | None]]) -> _Checks:
    """Start the content checks of the stored documents in the sandbox, CHECK_CHUNK documents a task, and return
    at once: the batch files the previous chunk meanwhile (_collect_checks waits for them)."""
    from yunting.kernel.scan.sandbox import sandbox_submit

    todo = [(path, [(blob.sha256, blob.mime_type, data)]) for path, (blob, data) in stored.items()
            if not isinstance(blob, ValidationFailed)]
    chunks = [todo[i:i + CHECK_CHUNK] for i in range(0, len(todo), CHECK_CHUNK)]
    return _Checks(chunks, sandbox_submit("yunting.core.efile.intake:examine_many",
                                          [(([p for _path, p in c],), {}) for c in chunks], weight=CHECK_CHUNK))


def _collect_checks(checks: _Checks) -> dict[str, Any]:
    """The results of _submit_checks; a task stopped by a limit is redone document by document so only the
    culprit is refused. {path: Examined or a problem dict}."""
    from yunting.core.efile.intake import Examined, limit_problem
    from yunting.kernel.scan.sandbox import SandboxLimit, sandbox_collect, sandbox_map

    results = sandbox_collect(checks.submitted)
    out: dict[str, Any] = {}
    for chunk, result in zip(checks.chunks, results, strict=True):
        if isinstance(result, SandboxLimit):
            if len(chunk) == 1:
                out[chunk[0][0]] = Examined(problems=[limit_problem(result)])
                continue
            singles = sandbox_map("yunting.core.efile.intake:examine_many", [(([p],), {}) for _path, p in chunk])
            result = [r[0] if isinstance(r, list) else r for r in singles]
        for (path, _parts), examined in zip(chunk, result, strict=True):
            out[path] = Examined(problems=[limit_problem(examined)]) if isinstance(examined, SandboxLimit) else examined
    return out


def _check_zip_documents(stored: dict[str, tuple[Any, bytes | None]]) -> dict[str, Any]:
    """The content checks of the stored documents, in the sandbox, waited for."""
    return _collect_checks(_submit_checks(stored))


def _zip_uploads(batch: FilingBatch, stored: dict, examined: dict, lookups: Lookups) -> dict[str, Any]:
    """Record each stored document as the institution's Upload (accepted with what enters the file, or refused
    with its problems) — in the chunk's transaction. {path: Upload or the ValidationFailed refusing it}."""
    from yunting.core.efile.intake import upload_refusal
    from yunting.core.efile.models import Upload, UploadPart, UploadStatus
    from yunting.kernel.blobs.store import blob_put_bytes

    now, out, uploads, parts, refused_hashes = timezone.now(), {}, [], [], set()
    language = translation.get_language() or settings.LANGUAGE_CODE
    for path, (blob, _data) in stored.items():
        if isinstance(blob, ValidationFailed):
            out[path] = blob
            continue
        result = examined[path]
        upload = Upload(institution_id=batch.institution_id, user_id=None, purpose="batch", subject=f"batch:{batch.pk}",
                        intent={"filename": path.rsplit("/", 1)[-1][:255], "path": path[:500]},
                        sha256=blob.sha256, size=blob.size, mime_type=blob.mime_type, checked_at=now,
                        language=language)
        if result.problems:
            upload.status, upload.problems = UploadStatus.REFUSED, result.problems
            refused_hashes.add(blob.sha256)
        else:
            document = blob_put_bytes(result.pdf, allowed={"application/pdf"}) if result.pdf else blob
            upload.status, upload.document, upload.notes = UploadStatus.ACCEPTED, document, result.notes
            upload.page_count = result.page_count
            parts.append(UploadPart(upload_id=upload.pk, position=0, blob_id=blob.sha256))
        uploads.append(upload)
        out[path] = upload
    rawsql.bulk_insert(uploads)  # string keys, set before the insert
    rawsql.bulk_insert(parts)
    for path, upload in out.items():
        if isinstance(upload, Upload):
            if upload.status == UploadStatus.REFUSED:
                refusal = upload_refusal(upload)
                out[path] = ValidationFailed(f"{path}：{refusal.message}", code=refusal.code, data=refusal.data)
            else:
                lookups.remember(upload)
    if refused_hashes:
        transaction.on_commit(lambda: _forget(refused_hashes))
    return out


def _forget(hashes: set[str]) -> None:
    from yunting.kernel.blobs.references import blob_delete_unreferenced

    try:
        blob_delete_unreferenced(hashes)
    except Exception:  # the periodic sweep deletes them later
        log.exception("could not delete refused batch documents")


def _attach_from_zip(record, uploads: dict[str, Any]) -> dict[int, Problem]:
    """Name, in the record, the institution's upload of each document it gives by `path` (stored and checked by
    the intake); the problems, by document index."""
    problems: dict[int, Problem] = {}
    docs = record.get("documents") if isinstance(record, dict) else None
    if not isinstance(docs, list):
        return problems
    for i, d in enumerate(docs):
        if not isinstance(d, dict) or not d.get("path") or d.get("sha256") or d.get("upload_id"):
            continue
        path = str(d["path"])
        field = f"documents[{i}].path"
        if path not in uploads:
            problems[i] = Problem(field, "not_in_zip", _("The ZIP has no file “%(path)s”.") % {"path": path})
            continue
        upload = uploads[path]
        if isinstance(upload, ValidationFailed):
            message = str(upload.message)
            problems[i] = Problem(field, upload.code, message if message.startswith(path) else f"{path}：{message}")
            continue
        d["upload_id"] = upload.pk
        d.setdefault("filename", path.rsplit("/", 1)[-1])
    return problems


class LineRefused(ValueError):
    """A line refused before parsing (too long, nested too deep): reported alone, its neighbours still filed."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit`, found without parsing (json.loads recurses
    once per level, so 100,000 `[` would raise RecursionError — or worse, exhaust the stack — before any
    error could name the line). Counting brackets first keeps ordinary records on the fast path."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _parse_line(raw: bytes):
    max_bytes, max_depth = settings.BATCH_MAX_LINE_BYTES, settings.BATCH_MAX_JSON_DEPTH
    if len(raw) > max_bytes:
        return LineRefused("line_too_long", _("The record is longer than %(max)d KB.") % {"max": max_bytes // 1024})
    if json_depth_exceeds(raw, max_depth):
        return LineRefused("too_deep", _("The record nests more than %(max)d levels deep.") % {"max": max_depth})
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        return exc


def _records(lines):
    """(line number, parsed record or an error) for each non-empty line; a bad line never stops the others."""
    n = 0
    for raw in lines:
        if isinstance(raw, Exception):  # a line over the length limit: it fails alone
            n += 1
            yield n, raw
            continue
        if not raw.strip():
            continue
        n += 1
        yield n, _parse_line(raw)


LEASE = timedelta(minutes=2)


class LeaseLost(Exception):
    """Another worker took the batch over (this one stalled past its lease): stop without writing."""


def _claim(batch_id: int) -> str | None:
    """Take the batch for processing unless a live worker holds it; returns the lease token, or None."""
    token, now = secrets.token_hex(16), timezone.now()
    taken = (FilingBatch.objects.filter(pk=batch_id, status__in=(BatchStatus.RECEIVED, BatchStatus.PROCESSING))
             .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
             .update(lease_token=token, lease_until=now + LEASE, status=BatchStatus.PROCESSING))
    return token if taken else None


def batch_process(*, batch_id: int, chunk: int = CHUNK) -> FilingBatch:
    """Process (or resume) a batch: validate each record, file the good ones, report the bad ones.

    One worker at a time: the batch is leased, the lease renewed by each chunk's transaction, and a worker whose
    lease was taken over stops before writing. A batch already leased by a live worker is left alone."""
    token = _claim(batch_id)
    batch = FilingBatch.objects.select_related("institution", "court").get(pk=batch_id)
    if token is None:
        return batch
    # A worker thread may carry whatever language its last request left active; the report is the court's.
    with translation.override(settings.LANGUAGE_CODE):
        return _process_leased(batch, token, chunk)


def _process_leased(batch: FilingBatch, token: str, chunk: int) -> FilingBatch:
    from yunting.kernel.blobs.store import blob_open

    batch_id = batch.pk
    try:
        with blob_open(batch.sha256) as stream:
            _process_stream(batch, stream, chunk=chunk, token=token)
    except LeaseLost:
        log.warning("filing batch %s: lease taken over by another worker; stopping", batch_id)
        batch.refresh_from_db()
        return batch
    except Exception as exc:
        log.exception("filing batch %s failed", batch_id)
        FilingBatch.objects.filter(pk=batch.pk, lease_token=token).update(
            status=BatchStatus.FAILED, error_message=f"{exc.__class__.__name__}: {exc}"[:2000], lease_until=None,
            lease_token="")
        batch.refresh_from_db()
        return batch
    FilingBatch.objects.filter(pk=batch.pk, lease_token=token).update(
        status=BatchStatus.DONE, finished_at=timezone.now(), lease_until=None, lease_token="")
    batch.refresh_from_db()
    return batch


def _process_stream(batch: FilingBatch, stream, *, chunk: int, token: str) -> None:
    """Chunk after chunk, filed in order; while chunk N is filed, the documents of the next chunks (up to AHEAD)
    are already stored and being checked in the sandbox (its other processes), so the checks no longer add to
    the batch's time: with two chunks queued, the sandbox has work whenever the filing waits."""
    lines, zf = _lines_of(stream)
    lookups = Lookups(institution=batch.institution)
    started: deque[_Chunk] = deque()
    pending: list = []
    with _Filer(batch, lookups, token) as filer:

        def start(records: list) -> None:  # the oldest chunk filed meanwhile, once AHEAD are started
            oldest = started.popleft() if len(started) >= AHEAD else None
            started.append(filer.file_while(oldest, _start_chunk, records, zf))

        for n, record in _records(lines):
            if n <= batch.processed_lines:
                continue  # done before a crash
            pending.append((n, record))
            if len(pending) >= chunk:
                start(pending)
                pending = []
        if pending:
            start(pending)
        while started:
            filer.file_while(started.popleft(), None)


class _Filer:
    """Files chunk N (`_finish_chunk`, its own transaction) while the caller stores chunk N+1's documents.

    On PostgreSQL, outside a transaction, the filing runs on a thread of its own with its own connection, so
    each side's waits for the database (N's inserts and commit, N+1's blob rows and files) are spent on the
    other side's Python; elsewhere (SQLite has one writer; a caller's open transaction must see it all) one
    after the other, in the same order. Chunks are filed strictly in order either way: N+1 is handed over only
    once N is committed, and a failure is raised before anything else is filed."""

    def __init__(self, batch: FilingBatch, lookups: Lookups, token: str):
        from django.db import connection

        self._args = (batch, lookups)
        self._token = token
        self._pool = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-filer")

    def file_while(self, ahead: _Chunk | None, start_next, *args):
        """File `ahead` (if any) while `start_next(*args)` runs (if given); returns what it returned."""
        if start_next is None:
            start_next = lambda: None  # noqa: E731
        if ahead is None:
            return start_next(*args)
        if self._pool is None:
            started = start_next(*args)
            _finish_chunk(*self._args, ahead, token=self._token)
            return started
        filing = self._pool.submit(self._finish, ahead)
        try:
            started = start_next(*args)
        finally:
            filing.result()  # N committed (or its failure raised) before N+1 can be handed over
        return started

    def _finish(self, ahead: _Chunk) -> None:
        with translation.override(settings.LANGUAGE_CODE):  # the report is the court's, on this thread too
            _finish_chunk(*self._args, ahead, token=self._token)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            from django.db import connections

            self._pool.submit(connections.close_all).result()  # the thread's own connection
            self._pool.shutdown()


@dataclass
class _Chunk:
    records: list
    stored: dict
    checks: _Checks | None


def _start_chunk(records: list, zf: SafeZip | None) -> _Chunk:
    """A chunk's ZIP documents stored and their checks started in the sandbox (outside any transaction, so a
    slow check never holds the database)."""
    stored = _store_zip_documents(records, zf) if zf is not None else {}
    return _Chunk(records, stored, _submit_checks(stored) if stored else None)


def _finish_chunk(batch: FilingBatch, lookups: Lookups, started: _Chunk, *, token: str) -> None:
    """The quota applied and the checks' results taken, then the chunk filed in one transaction."""
    stored = _apply_quota(started.stored, batch.institution) if started.stored else {}
    examined = _collect_checks(started.checks) if started.checks is not None else {}
    _file_chunk(batch, started.records, lookups, stored, examined, token=token)


def _process_chunk(batch: FilingBatch, records: list, lookups: Lookups, zf: SafeZip | None = None, *,
                   token: str) -> None:
    """One chunk on its own: stored, checked, filed."""
    _finish_chunk(batch, lookups, _start_chunk(records, zf), token=token)


@transaction.atomic
def _file_chunk(batch: FilingBatch, records: list, lookups: Lookups, stored: dict, examined: dict, *,
                token: str) -> None:
    if not FilingBatch.objects.filter(pk=batch.pk, lease_token=token).update(lease_until=timezone.now() + LEASE):
        raise LeaseLost()
    with rawsql.write_behind():  # on PostgreSQL each insert runs while the next rows are built
        _file_records(batch, records, lookups, stored, examined)


def _file_records(batch: FilingBatch, records: list, lookups: Lookups, stored: dict, examined: dict) -> None:
    court, institution = batch.court, batch.institution
    report, good = [], []
    uploads = _zip_uploads(batch, stored, examined, lookups) if stored else {}
    for n, record in records:
        if isinstance(record, (LineRefused, ValidationFailed)):  # refused before parsing: fails alone
            report.append({"line": n, "external_id": None,
                           "errors": [{"field": "", "code": record.code, "message": str(record.message)}]})
            continue
        if isinstance(record, Exception):
            report.append({"line": n, "external_id": None,
                           "errors": [{"field": "", "code": "invalid_json", "message": _("Line %(n)d is not valid JSON.") % {"n": n}}]})
            continue
        zip_problems = _attach_from_zip(record, uploads) if stored else {}
        problems, cleaned = validate_payload(record, lookups=lookups, court=court, require_external_id=True)
        if zip_problems:  # a document that could not be taken from the ZIP is reported once, by its path
            shadowed = {f"documents[{i}].{f}" for i in zip_problems for f in ("sha256", "upload_id")}
            problems = [*zip_problems.values(), *(p for p in problems if p.field not in shadowed)]
        if problems:
            ext = record.get("external_id") if isinstance(record, dict) else None
            report.append({"line": n, "external_id": ext, "errors": [p.as_dict() for p in problems]})
            continue
        good.append((n, cleaned))
    # idempotency on (institution, external_id): already filed (earlier batch, resend, or earlier in this one)
    wanted = [c.external_id for _, c in good]
    seen = set(Filing.objects.filter(institution=institution).extra(**rawsql.where_in(Filing, "external_id", wanted))
               .values_list("external_id", flat=True))
    now, deadline = timezone.now(), _deadline()
    filings, parties_of, docs_of, duplicates = [], [], [], 0
    for _n, c in good:
        if c.external_id in seen:
            duplicates += 1
            continue
        seen.add(c.external_id)
        filings.append(Filing(  # keys as ids, the others named as None: a quarter of building the row
            court_id=court.pk, case_type_id=c.case_type.pk, cause_id=c.cause.pk, procedure=c.procedure,
            status=FilingStatus.SUBMITTED, claims=c.claims, facts=c.facts, questionnaire=c.questionnaire,
            claim_amount=c.claim_amount, institution_id=institution.pk, filer_id=None, on_behalf_of_id=None,
            reviewer_id=None, case_id=None,
            external_id=c.external_id, batch_id=batch.pk, submitted_at=now, deadline=deadline,
            fee=fee_for(case_type=c.case_type, cause=c.cause, amount=c.claim_amount,
                        procedure=c.procedure or c.case_type.default_procedure),
            fingerprint=fingerprint(court_id=court.pk, cause_id=c.cause.pk, amount=c.claim_amount,
                                    parties=[vars(p) for p in c.parties]),
            payload={"external_id": c.external_id, "batch_line": _n},
        ))
        parties_of.append(c.parties)
        docs_of.append([*{(x.sha256, x.kind): x for x in c.documents}.values()])
    rawsql.reserve_ids({Filing: len(filings), FilingParty: sum(map(len, parties_of)),
                        FilingDocument: sum(map(len, docs_of)), FilingEvent: len(filings)})
    rawsql.bulk_insert(filings)
    rawsql.bulk_insert([
        FilingParty(filing_id=f.pk, role=p.role, kind=p.kind, name=p.name, id_number=p.id_number,
                    credit_code=p.credit_code, address=p.address, phone=p.phone, order=i, user_id=None)
        for f, parties in zip(filings, parties_of, strict=True) for i, p in enumerate(parties)
    ])
    rawsql.bulk_insert([
        FilingDocument(filing_id=f.pk, blob_id=d.sha256, title=d.title, kind=d.kind, filename=d.filename,
                       page_count=d.upload.page_count, notes=d.upload.notes, upload_id=d.upload.pk, uploaded_by_id=None,
                       source_blob_id=d.upload.sha256 if d.upload.document_id != d.upload.sha256 else None)
        for f, docs in zip(filings, docs_of, strict=True) for d in docs
    ])
    rawsql.bulk_insert([
        FilingEvent(filing_id=f.pk, kind=entries.SUBMITTED, actor_id=None,
                    payload={"batch_id": batch.pk, "line": f.payload["batch_line"]})
        for f in filings
    ])
    batch.processed_lines += len(records)
    batch.filed += len(filings)
    batch.duplicates += duplicates
    batch.invalid += len(report)
    if len(batch.report) < MAX_REPORT:
        batch.report = [*batch.report, *report]
    _save_progress(batch)


def _save_progress(batch: FilingBatch) -> None:
    """The chunk's counts and report on the batch row, as save(update_fields) writes them, on the driver's cursor:
    queued under a write-behind like the chunk's inserts (nothing is read back)."""
    from django.db import connection

    names = ("processed_lines", "filed", "duplicates", "invalid", "report")
    fields = [FilingBatch._meta.get_field(n) for n in names]
    with rawsql.cursor() as cur:
        cur.execute(f"UPDATE {FilingBatch._meta.db_table} SET {', '.join(f'{f.column} = %s' for f in fields)}"
                    " WHERE id = %s", [*(f.get_db_prep_save(getattr(batch, f.attname), connection) for f in fields),
                                       batch.pk])


def batch_resume_all() -> int:
    """Re-enqueue batches received but not started, or interrupted (their worker's lease ran out): the periodic
    job `filing.batches`. Returns how many."""
    ids = list(FilingBatch.objects.filter(status__in=(BatchStatus.RECEIVED, BatchStatus.PROCESSING))
               .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now()))
               .values_list("pk", flat=True))
    for i in ids:
        _enqueue(i)
    return len(ids)

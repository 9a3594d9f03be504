"""Content-addressed, write-once blob storage.

Keys are the SHA-256 of the bytes (hex), so the same bytes are stored once, a key can only ever mean those
bytes, and no user-supplied name reaches a path: a key that is not 64 hex digits is refused before any I/O.
Bytes stream through a temporary file in chunks, so a 500 MB video never sits in memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from yunting.kernel.common import rawsql
from yunting.kernel.common.errors import NotFound, ValidationFailed

from .models import Blob
from .sniff import ALLOWED_MIME_TYPES, sniff_mime

CHUNK = 1024 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def storage():
    return storages["blobs"]


def blob_key(sha256: str) -> str:
    if not SHA256_RE.match(sha256 or ""):
        raise ValidationFailed(_("Invalid file identifier."), code="blob_key")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def blob_put(stream: BinaryIO, *, max_bytes: int | None = None, allowed: set[str] | None = None,
             mime_type: str | None = None) -> Blob:
    """Store a stream; return its Blob. Refuses content whose magic bytes are not in `allowed`, or too big.
    `mime_type`, when given, is a type the caller proved itself by the content's structure (a batch's ZIP or
    JSON lines): sniffing is skipped."""
    max_bytes = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    allowed = ALLOWED_MIME_TYPES if allowed is None else allowed
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp_path = tempfile.mkstemp(dir=settings.BLOB_TMP_DIR, prefix="upload-")
    try:
        with os.fdopen(fd, "wb") as tmp:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationFailed(
                        _("File too large: the limit is %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
                        code="upload_too_large", data={"max_bytes": max_bytes},
                    )
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                tmp.write(chunk)
        if size == 0:
            raise ValidationFailed(_("The file is empty."), code="upload_empty")
        mime = mime_type or sniff_mime(head)
        if mime_type is None and mime not in allowed:
            raise ValidationFailed(
                _("Unsupported file type (detected from the file's content)."), code="upload_type", data={"detected": mime}
            )
        sha = digest.hexdigest()
        existing = Blob.objects.filter(sha256=sha).first()
        if existing and storage().exists(blob_key(sha)):
            return existing
        with open(tmp_path, "rb") as fh:
            _write_once(sha, fh)
        blob, _created = Blob.objects.get_or_create(sha256=sha, defaults={"size": size, "mime_type": mime})
        return blob
    finally:
        if os.path.exists(tmp_path):
            os.unlink(tmp_path)


def blob_put_bytes(data: bytes, **kwargs) -> Blob:
    import io

    return blob_put(io.BytesIO(data), **kwargs)


def blob_put_many(items: list[bytes], *, max_bytes: int | None = None,
                  allowed: set[str] | None = None) -> list[Blob | ValidationFailed]:
    """Store many small byte strings already in memory (the documents of a batch): the same checks as
    blob_put, one query for the ones already stored, one bulk insert for the rest. Each result is the Blob,
    or the ValidationFailed that refused that item (the others are stored regardless)."""

    max_bytes = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    allowed = ALLOWED_MIME_TYPES if allowed is None else allowed
    results: list[Blob | ValidationFailed] = []
    for data in items:
        if not data:
            results.append(ValidationFailed(_("The file is empty."), code="upload_empty"))
        elif len(data) > max_bytes:
            results.append(ValidationFailed(_("File too large: the limit is %(mb)s MB.")
                                            % {"mb": max_bytes // (1024 * 1024)}, code="upload_too_large",
                                            data={"max_bytes": max_bytes}))
        elif (mime := sniff_mime(data[:8192])) not in allowed:
            results.append(ValidationFailed(_("Unsupported file type (detected from the file's content)."),
                                            code="upload_type", data={"detected": mime}))
        else:
            results.append(Blob(sha256=hashlib.sha256(data).hexdigest(), size=len(data), mime_type=mime))
    new = {b.sha256: (b, data) for b, data in zip(results, items, strict=True) if isinstance(b, Blob)}
    existing = {b.sha256: b for b in Blob.objects.extra(**rawsql.where_in(Blob, "sha256", new))} if new else {}
    for sha, (_blob, data) in new.items():
        _write_bytes_once(sha, data)  # skips bytes already stored; restores any whose file went missing
    rawsql.bulk_insert([b for sha, (b, _d) in new.items() if sha not in existing], ignore_conflicts=True)
    stored = {**{sha: b for sha, (b, _d) in new.items()}, **existing}
    return [stored[r.sha256] if isinstance(r, Blob) else r for r in results]


_made_dirs: set[str] = set()


def _write_bytes_once(sha: str, data: bytes) -> None:
    """_write_once for bytes in memory. On the local disk (the default), written straight to the blob's path,
    created exclusively as the storage would create it, without the storage's per-file name checks (the key is
    64 hex digits, checked by blob_key): a tenth of a batch's validation went there."""
    import io

    from django.core.files.storage import FileSystemStorage

    key = blob_key(sha)
    store = storage()
    if type(store) is not FileSystemStorage or store.directory_permissions_mode is not None:
        _write_once(sha, io.BytesIO(data))
        return
    path = os.path.join(store.location, key)
    directory = os.path.dirname(path)
    if directory not in _made_dirs:
        os.makedirs(directory, exist_ok=True)
        _made_dirs.add(directory)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except FileExistsError:
        return
    except FileNotFoundError:  # the directory was removed meanwhile (tests wipe the store)
        _made_dirs.discard(directory)
        _write_once(sha, io.BytesIO(data))
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if store.file_permissions_mode is not None:  # as the storage sets them (FILE_UPLOAD_PERMISSIONS)
            os.chmod(path, store.file_permissions_mode)
    except BaseException:
        os.unlink(path)  # never leave a partial blob under its key
        raise


def _write_once(sha: str, fh) -> None:
    key = blob_key(sha)
    store = storage()
    if store.exists(key):
        return
    saved = store.save(key, File(fh, name=sha))
    if saved != key:  # a racing writer stored the same bytes first; ours is a duplicate copy
        store.delete(saved)


def blob_open(sha256: str):
    key = blob_key(sha256)
    try:
        return storage().open(key, "rb")
    except FileNotFoundError:
        raise NotFound(_("The file does not exist."), code="blob_missing") from None


def blob_iter(sha256: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
    with blob_open(sha256) as fh:
        while chunk := fh.read(chunk_size):
            yield chunk


def blob_read(sha256: str) -> bytes:
    with blob_open(sha256) as fh:
        return fh.read()


def blob_verify(sha256: str) -> bool:
    """Re-hash the stored bytes: True when they still match their key."""
    digest = hashlib.sha256()
    for chunk in blob_iter(sha256):
        digest.update(chunk)
    return digest.hexdigest() == sha256


def blobs_stored(hashes) -> dict[str, Blob]:
    """{sha256: Blob} of those of `hashes` that are stored. Blob rows never change, so inside a write-behind block
    (rawsql.write_behind) the ones already committed are read beside its queue, without waiting for it, and only
    the others (stored in this very transaction) in turn."""
    from django.db import connection

    from yunting.kernel.common.write_behind import active

    wanted = set(hashes)
    found: dict[str, Blob] = {}
    wb = active(connection) if wanted else None
    if wb is not None:  # a bulk path asks for the same blobs more than once (the journal, then the e-file)
        found = {sha: wb.kept[("blob", sha)] for sha in wanted if ("blob", sha) in wb.kept}
        if missing := wanted - found.keys():
            for blob in wb.read_beside(Blob, "sha256 = ANY(%s)", [list(missing)]):
                found[blob.sha256] = wb.kept[("blob", blob.sha256)] = blob
    if rest := wanted - found.keys():
        found.update((b.sha256, b) for b in Blob.objects.extra(**rawsql.where_in(Blob, "sha256", rest)))
    return found

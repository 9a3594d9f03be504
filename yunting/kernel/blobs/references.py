"""Which tables hold on to stored bytes, so that nothing referenced is ever deleted.

Every table that names a blob — by foreign key, by a hex SHA-256 column, by raw SHA-256 bytes, or by a key in a
JSON payload — is registered here by the app that owns it (from AppConfig.ready()), and a test walks every
model to prove no column naming a blob was left out. Only then may bytes be deleted: a refused upload's bytes
at once (`blob_delete_unreferenced`), and anything stored but never referenced after a day (`blob_sweep`, the
periodic job `blobs.sweep`: a crashed request, a refused batch's documents, a render whose transaction failed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

log = logging.getLogger(__name__)
SWEEP_AGE = timedelta(days=1)
CHUNK = 500


@dataclass(frozen=True)
class BlobReference:
    model: str  # "app_label.ModelName"
    field: str  # a ForeignKey to Blob, a hex SHA-256 CharField, a raw BinaryField, or a JSONField
    encoding: str = "hex"  # "hex" | "raw" (32 bytes)
    json_key: str = ""  # for a JSONField: the key holding the hex SHA-256
    where: dict[str, Any] = field(default_factory=dict)  # narrows a JSON reference (e.g. the entry kind)

    @property
    def name(self) -> str:
        return f"{self.model}.{self.field}" + (f"[{self.json_key}]" if self.json_key else "")

    def referenced(self, hashes: list[str]) -> set[str]:
        model = apps.get_model(self.model)
        if self.json_key:
            path = f"{self.field}__{self.json_key}"
            rows = model.objects.filter(**self.where, **{f"{path}__in": hashes}).values_list(path, flat=True)
            return {str(v) for v in rows}
        if self.encoding == "raw":
            rows = model.objects.filter(**{f"{self.field}__in": [bytes.fromhex(h) for h in hashes]}).values_list(
                self.field, flat=True)
            return {bytes(v).hex() for v in rows}
        column = model._meta.get_field(self.field).attname
        rows = model.objects.filter(**self.where, **{f"{column}__in": hashes}).values_list(column, flat=True)
        return {str(v) for v in rows}


_references: dict[str, BlobReference] = {}


def register_blob_reference(model: str, field: str, *, encoding: str = "hex", json_key: str = "",
                            where: dict[str, Any] | None = None) -> None:
    ref = BlobReference(model=model, field=field, encoding=encoding, json_key=json_key, where=where or {})
    _references[ref.name] = ref


def blob_references() -> list[BlobReference]:
    return list(_references.values())


def blobs_referenced(hashes) -> set[str]:
    """Of `hashes`, those some registered table still names."""
    hashes = sorted(set(hashes))
    found: set[str] = set()
    for start in range(0, len(hashes), CHUNK):
        chunk = hashes[start:start + CHUNK]
        for ref in _references.values():
            found |= ref.referenced([h for h in chunk if h not in found])
    return found


def blob_delete_unreferenced(hashes) -> list[str]:
    """Delete the bytes and rows of those `hashes` nothing references; returns the deleted ones. A row that
    became referenced meanwhile is kept (the foreign key refuses the delete)."""
    from .models import Blob
    from .store import blob_key, storage

    hashes = set(hashes) - {"", None}
    if not hashes:
        return []
    deleted = []
    for sha in sorted(hashes - blobs_referenced(hashes)):
        try:
            with transaction.atomic():
                if not Blob.objects.filter(sha256=sha).delete()[0]:
                    continue
        except IntegrityError:  # referenced by a row committed meanwhile
            continue
        try:
            storage().delete(blob_key(sha))
        except OSError:
            log.warning("could not delete the bytes of blob %s", sha)
        deleted.append(sha)
    return deleted


SWEEP_WINDOW = timedelta(days=7)


def blob_sweep(*, older_than: timedelta = SWEEP_AGE, window: timedelta | None = SWEEP_WINDOW) -> int:
    """The periodic job: delete blobs stored more than `older_than` ago that nothing references. Returns how
    many were deleted.

    References are added, never taken away (records are append-only; a draft's removed document keeps its upload),
    so a blob that is unreferenced stays so: the hourly run looks only at the blobs of the last `window` before
    the cutoff. `window=None` looks at all of them (`yunting tick` after a long stop, or by hand)."""
    from .models import Blob

    cutoff = timezone.now() - older_than
    qs = Blob.objects.filter(created_at__lt=cutoff)
    if window is not None:
        qs = qs.filter(created_at__gte=cutoff - window)
    candidates = list(qs.order_by("created_at").values_list("sha256", flat=True))
    deleted = 0
    for start in range(0, len(candidates), CHUNK):
        deleted += len(blob_delete_unreferenced(candidates[start:start + CHUNK]))
    if deleted:
        log.info("blob sweep: deleted %s unreferenced blobs", deleted)
    return deleted

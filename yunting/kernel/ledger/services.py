"""Writes to the log: appending leaves and issuing signed tree heads."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from . import keys, store
from .anchor import anchor_write
from .errors import LedgerError
from .leaves import SHA256_HEX
from .models import TreeHead
from .sth import sign_tree_head
from .store import AppendedLeaf, NewLeaf

log = logging.getLogger(__name__)


def sth_max_age_s() -> float:
    """A new tree head is issued when the newest is older than this and the log has grown (default 5 s)."""
    return float(getattr(settings, "LEDGER_STH_MAX_AGE_S", 5))


def ledger_append(
    leaf_input: bytes, *, record_id: int | None = None, documents: Sequence[str] = (), using: str = "default"
) -> AppendedLeaf:
    """Append one leaf in the caller's transaction; `documents` (hex SHA-256) must each appear in leaf_input."""
    return ledger_append_many([NewLeaf(leaf_input, record_id, tuple(documents))], using=using)[0]


def ledger_append_many(items: Sequence[NewLeaf], *, using: str = "default") -> list[AppendedLeaf]:
    """Append leaves now, in the caller's transaction, under the ledger lock (the inline path)."""
    _check_items(items)
    return store.append(items, using=using)


def _check_items(items: Sequence[NewLeaf]) -> None:
    for item in items:
        if not isinstance(item.leaf_input, bytes) or not item.leaf_input:
            raise LedgerError("leaf_input must be non-empty bytes")
        for d in item.documents:
            if not SHA256_HEX.match(d) or d.encode() not in item.leaf_input:
                raise LedgerError("every indexed document must be listed in its leaf_input", data={"sha256": d})


def ledger_submit_many(items: Sequence[NewLeaf], *, using: str = "default") -> None:
    """What a record's transaction calls: queue the leaves (PostgreSQL; no lock, the sequencer integrates them
    after commit) or append them at once (SQLite, or LEDGER_SEQUENCER=inline). Either way each becomes exactly one
    leaf, in the order given, if and only if the transaction commits."""
    from . import sequencer

    if not sequencer.is_queued(using):
        ledger_append_many(items, using=using)
        transaction.on_commit(ledger_sth_tick, using=using)
        return
    _check_items(items)
    sequencer.enqueue_many(items, using=using)


def ledger_sth_issue(*, using: str = "default") -> TreeHead:
    """Integrate what is queued, then sign and store a tree head for the log as it is now (committed data as
    seen by this transaction): the sequencer's second duty."""
    from .sequencer import integrate_locked

    key = keys.load_signing_key()
    kid = keys.key_id(key.public_key())
    with transaction.atomic(using=using):
        with store.cursor(using) as cursor:
            if not cursor._qmark:  # PostgreSQL: one issuer (and sequencer) at a time, so seq and prev_hash chain
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [store.ADVISORY_LOCK_ID])
            while integrate_locked(cursor)[0]:
                pass
            size = store.tree_size(cursor)
            root = store.range_hashes(cursor, [(0, size)])[0]
        latest = TreeHead.objects.using(using).order_by("-id").first()
        now_ms = int(time.time() * 1000)
        if latest is not None:
            now_ms = max(now_ms, latest.timestamp)  # timestamps never go backwards
        sth = sign_tree_head(key, timestamp_ms=now_ms, tree_size=size, root_hash=root)
        head = TreeHead.objects.using(using).create(
            tree_size=size, timestamp=sth.timestamp, root_hash=root, signature=sth.signature, key_id=kid,
            seq=(latest.seq or 0) + 1 if latest is not None else 1,
            prev_hash=tree_head_digest(latest) if latest is not None else "",
        )
        transaction.on_commit(lambda: anchor_write(head), using=using)
        return head


def tree_head_digest(head: TreeHead) -> str:
    """What the next tree head's prev_hash holds: SHA-256 of this one's signature (which covers its size, time
    and root)."""
    return hashlib.sha256(bytes(head.signature)).hexdigest()


def ledger_sth_current(*, max_age_s: float | None = None, using: str = "default") -> TreeHead:
    """The newest tree head, issuing a new one first if there is none, or if the log grew and it is stale."""
    max_age_s = sth_max_age_s() if max_age_s is None else max_age_s
    latest = TreeHead.objects.using(using).order_by("-id").first()
    if latest is None:
        return ledger_sth_issue(using=using)
    if time.time() * 1000 - latest.timestamp < max_age_s * 1000:
        return latest
    from .sequencer import QUEUE_TABLE

    with store.cursor(using) as cursor:
        size = store.tree_size(cursor)
        cursor.execute(f"SELECT 1 FROM {QUEUE_TABLE} LIMIT 1")
        queued = cursor.fetchone() is not None
    if size != latest.tree_size or queued:
        return ledger_sth_issue(using=using)
    return latest


_last_tick = 0.0


def ledger_sth_tick(*, using: str = "default") -> None:
    """Cheap enough to call after every committed append: at most one check per second per process."""
    global _last_tick
    now = time.monotonic()
    if now - _last_tick < 1.0:
        return
    _last_tick = now
    try:
        ledger_sth_current(using=using)
    except Exception:  # a missing key or a busy database must not fail the act that was just committed
        log.exception("could not issue a ledger tree head")

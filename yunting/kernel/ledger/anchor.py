"""The anchor: a line per signed tree head, appended to a file outside the database.

Rows can be hash-chained, but whoever can write the database can still cut the newest rows off a chain and leave
a consistent-looking shorter one. Each time a tree head is signed, its seq and root — and the head of every
registered chain (the read log, security events) — are appended here, next to the signing key
(settings.LEDGER_ANCHOR_PATH, by default beside LEDGER_SIGNING_KEY_PATH, which may live outside the data
directory). `yunting audit` then finds a deleted tree head or deleted newest read-log rows: the anchor names them
and the database no longer has them. The signed tree heads published to monitors (`yunting ledger watch`)
are the same kind of witness, outside this machine.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
_SOURCES: dict[str, Callable[[], tuple[int, str]]] = {}


def register_source(name: str, head: Callable[[], tuple[int, str]]) -> None:
    """A chain whose (last seq, last chain value) is written with every tree head."""
    _SOURCES[name] = head


def anchor_path() -> Path:
    from django.conf import settings

    configured = getattr(settings, "LEDGER_ANCHOR_PATH", None)
    return Path(configured) if configured else Path(settings.LEDGER_SIGNING_KEY_PATH).with_name("ledger_anchor.jsonl")


def anchor_write(tree_head) -> None:
    """Append one line for a committed tree head (called after commit; a failure is logged, never raised)."""
    try:
        line = {"sth": tree_head.seq, "tree_size": tree_head.tree_size, "root": bytes(tree_head.root_hash).hex(),
                "timestamp": tree_head.timestamp, "chains": {name: list(head()) for name, head in _SOURCES.items()}}
        path = anchor_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as fh:
            fh.write(json.dumps(line, sort_keys=True) + "\n")
    except Exception:
        log.exception("could not write the ledger anchor")


def anchor_read() -> list[dict]:
    path = anchor_path()
    if not path.exists():
        return []
    lines = []
    for raw in path.read_text().splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            continue
    return lines

"""The per-case hash chain: pure functions, so an auditor can recompute it from exported rows."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from yunting.kernel.common.canonical import canonical_json
from yunting.kernel.common.timeutil import iso_utc

GENESIS = "0" * 64


def entry_body(
    *, case_number: str, seq: int, kind: str, actor_id: int | None, recorded_at: datetime,
    payload: dict[str, Any], document_hashes: list[str],
) -> bytes:
    return canonical_json(
        {
            "v": 1,
            "case": case_number,
            "seq": seq,
            "kind": kind,
            "actor": actor_id,
            "recorded_at": iso_utc(recorded_at),
            "payload": payload,
            "documents": list(document_hashes),
        }
    )


def chain_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + body).hexdigest()

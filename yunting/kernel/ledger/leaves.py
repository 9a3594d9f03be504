"""The public leaf format: a canonical *commitment* to one record, never the record itself (docs/LEDGER.md).

leaf_input = canonical JSON (keys sorted, no spaces, UTF-8) of
    {"commitment": hex SHA-256(salt ‖ preimage),   salt: 16+ random bytes kept with the record
     "documents":  [hex SHA-256 of each document, in the record's order],
     "kind":       the record kind, e.g. "filing.accepted",
     "time":       UTC time of the record, "YYYY-MM-DDTHH:MM:SS.ffffffZ",
     "v":          1}
For a journal entry the preimage is exactly what the case hash chain hashes: prev_hash (32 raw bytes) ‖ the
entry's canonical JSON body. The log is public, so nothing else goes in: no names, no case numbers, no payload,
and no unsalted hash of anything guessable. A verifier holding only a document finds its 64-hex SHA-256 in the
leaf_input of the leaf that recorded it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence

from yunting.kernel.common.canonical import canonical_json

LEAF_VERSION = 1
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
KIND_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class LeafFormatError(ValueError):
    pass


def commitment(salt_hex: str, preimage: bytes) -> str:
    """Hex SHA-256(salt ‖ preimage): hides the record, yet an auditor holding the salt can recompute it."""
    salt = bytes.fromhex(salt_hex)
    if len(salt) < 16:
        raise LeafFormatError("a commitment salt must be at least 16 bytes")
    return hashlib.sha256(salt + preimage).hexdigest()


def leaf_input_for(*, kind: str, time: str, commitment_hex: str, documents: Sequence[str] = ()) -> bytes:
    if not KIND_RE.match(kind):
        raise LeafFormatError(f"bad record kind {kind!r}")
    if not TIME_RE.match(time):
        raise LeafFormatError(f"bad time {time!r}: use YYYY-MM-DDTHH:MM:SS.ffffffZ")
    if not SHA256_HEX.match(commitment_hex):
        raise LeafFormatError("commitment must be 64 lower-case hex digits")
    for d in documents:
        if not SHA256_HEX.match(d):
            raise LeafFormatError(f"bad document hash {d!r}")
    return canonical_json(
        {"v": LEAF_VERSION, "kind": kind, "time": time, "commitment": commitment_hex, "documents": list(documents)}
    )


def parse_leaf_input(leaf_input: bytes) -> dict:
    """Decode and check a leaf_input; raises LeafFormatError unless it is exactly the canonical form."""
    try:
        value = json.loads(leaf_input.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise LeafFormatError("leaf_input is not JSON") from exc
    if not isinstance(value, dict) or set(value) != {"v", "kind", "time", "commitment", "documents"}:
        raise LeafFormatError("leaf_input has the wrong fields")
    if value["v"] != LEAF_VERSION:
        raise LeafFormatError(f"unknown leaf version {value['v']!r}")
    again = leaf_input_for(
        kind=value["kind"], time=value["time"], commitment_hex=value["commitment"], documents=value["documents"]
    )
    if again != leaf_input:
        raise LeafFormatError("leaf_input is not in canonical form")
    return value


def leaf_documents(leaf_input: bytes) -> list[str]:
    return list(parse_leaf_input(leaf_input)["documents"])


def leaf_mentions_document(leaf_input: bytes, sha256_hex: str) -> bool:
    try:
        return sha256_hex.lower() in leaf_documents(leaf_input)
    except LeafFormatError:
        return False

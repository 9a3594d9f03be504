"""Reads: roots, proofs, entries, lookups. Every size is checked against the log, so bad input is a 400."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import merkle, store
from .errors import LedgerError
from .models import TreeHead

MAX_ENTRIES = 1000
HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    audit_path: list[bytes]
    leaf_input: bytes | None = None


def _cursor(using: str):
    return store.cursor(using)


def ledger_size(*, using: str = "default") -> int:
    with _cursor(using) as c:
        return store.tree_size(c)


def _check_size(c, tree_size: int, *, name: str = "tree_size") -> int:
    size = store.tree_size(c)
    if not 0 <= tree_size <= size:
        raise LedgerError(
            f"{name} {tree_size} is outside the log (0…{size})", code="ledger_range",
            data={name: tree_size, "log_size": size},
        )
    return size


def ledger_root(tree_size: int | None = None, *, using: str = "default") -> bytes:
    with _cursor(using) as c:
        size = store.tree_size(c)
        tree_size = size if tree_size is None else tree_size
        _check_size(c, tree_size)
        return store.range_hashes(c, [(0, tree_size)])[0]


def ledger_inclusion_proof(leaf_index: int, tree_size: int, *, using: str = "default") -> InclusionProof:
    with _cursor(using) as c:
        _check_size(c, tree_size)
        if not 0 <= leaf_index < tree_size:
            raise LedgerError(
                f"leaf {leaf_index} is not in the tree of size {tree_size}", code="ledger_range",
                data={"leaf_index": leaf_index, "tree_size": tree_size},
            )
        ranges = merkle.inclusion_ranges(leaf_index, tree_size)
        hashes = store.range_hashes(c, [(leaf_index, leaf_index + 1), *ranges])
        return InclusionProof(leaf_index, tree_size, hashes[0], hashes[1:])


def ledger_proof_by_hash(leaf_hash: bytes, tree_size: int, *, using: str = "default") -> InclusionProof:
    if len(leaf_hash) != 32:
        raise LedgerError("hash must be a 32-byte SHA-256 leaf hash", data={"length": len(leaf_hash)})
    with _cursor(using) as c:
        index = store.leaf_index_by_hash(c, leaf_hash)
    if index is None:
        raise LedgerError("no leaf has this hash", code="ledger_unknown_hash", data={"hash": leaf_hash.hex()})
    return ledger_inclusion_proof(index, tree_size, using=using)


def ledger_proof_by_document(sha256_hex: str, tree_size: int, *, using: str = "default") -> InclusionProof:
    """Inclusion proof of the first leaf (within tree_size) whose leaf_input lists the document."""
    if not HEX64.match(sha256_hex or ""):
        raise LedgerError("sha256 must be 64 hexadecimal digits", data={"sha256": sha256_hex})
    with _cursor(using) as c:
        _check_size(c, tree_size)
        found = store.leaf_for_document(c, bytes.fromhex(sha256_hex), tree_size)
    if found is None:
        raise LedgerError(
            "this document is not in the log (within that tree size)", code="ledger_unknown_document",
            data={"sha256": sha256_hex.lower(), "tree_size": tree_size},
        )
    index, leaf_input = found
    proof = ledger_inclusion_proof(index, tree_size, using=using)
    return InclusionProof(index, tree_size, proof.leaf_hash, proof.audit_path, leaf_input)


def ledger_consistency_proof(first: int, second: int, *, using: str = "default") -> list[bytes]:
    with _cursor(using) as c:
        _check_size(c, second, name="second")
        if not 0 <= first <= second:
            raise LedgerError(
                f"first ({first}) must be between 0 and second ({second})", code="ledger_range",
                data={"first": first, "second": second},
            )
        return store.range_hashes(c, merkle.consistency_ranges(first, second))


def ledger_entries(start: int, end: int, *, using: str = "default") -> list[bytes]:
    """leaf_input of leaves start..end (inclusive, as RFC 6962 get-entries), at most MAX_ENTRIES of them."""
    with _cursor(using) as c:
        size = store.tree_size(c)
        if start < 0 or end < start:
            raise LedgerError("need 0 <= start <= end", code="ledger_range", data={"start": start, "end": end})
        if start >= size:
            raise LedgerError(
                f"start {start} is beyond the log (size {size})", code="ledger_range",
                data={"start": start, "log_size": size},
            )
        end = min(end, size - 1, start + MAX_ENTRIES - 1)
        return store.leaf_inputs(c, start, end)


def ledger_leaf(index: int, *, using: str = "default") -> tuple[bytes, int | None]:
    with _cursor(using) as c:
        c.execute("SELECT leaf_input, record_id FROM ledger_leaf WHERE idx = %s", [index])
        row = c.fetchone()
    if row is None:
        raise LedgerError(f"no leaf {index}", code="ledger_range", data={"leaf_index": index})
    return store._b(row[0]), row[1]


def ledger_leaf_for_record(record_id: int, *, using: str = "default") -> tuple[int, bytes] | None:
    with _cursor(using) as c:
        c.execute("SELECT idx, leaf_input FROM ledger_leaf WHERE record_id = %s ORDER BY idx LIMIT 1", [record_id])
        row = c.fetchone()
    return None if row is None else (row[0], store._b(row[1]))


def ledger_sth_latest(*, using: str = "default") -> TreeHead | None:
    return TreeHead.objects.using(using).order_by("-id").first()


def ledger_sth_covering(tree_size: int, *, using: str = "default") -> TreeHead | None:
    """The oldest stored tree head with at least `tree_size` leaves."""
    return TreeHead.objects.using(using).filter(tree_size__gte=tree_size).order_by("tree_size", "id").first()

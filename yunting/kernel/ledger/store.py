"""SQL storage of the tree: leaves, complete subtrees, the document index. Portable SQL (SQLite, PostgreSQL).

Appending writes the leaf and each subtree it completes (amortised one node, worst log2 n) and reads only the
frontier hashes it merges, so an append is O(log n) work whatever the size of the log. Roots and proofs for any
tree size up to the current one are folds of O(log n) stored hashes fetched in at most two indexed queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections, transaction

from yunting.kernel.common import rawsql
from yunting.kernel.common.rawsql import raw_cursor

from . import merkle
from .models import NODE_LEVEL_SHIFT, node_key

cursor = rawsql.cursor  # re-exported: callers use store.cursor()

ADVISORY_LOCK_ID = 0x59554E54494E47  # "YUNTING": serialises appends on PostgreSQL (SQLite's BEGIN IMMEDIATE does)
_INDEX_MASK = (1 << NODE_LEVEL_SHIFT) - 1


@dataclass(frozen=True)
class NewLeaf:
    leaf_input: bytes
    record_id: int | None = None
    documents: Sequence[str] = ()  # hex SHA-256 of each document the leaf lists


@dataclass(frozen=True)
class AppendedLeaf:
    index: int
    leaf_hash: bytes




def _b(value) -> bytes:
    return value if isinstance(value, bytes) else bytes(value)


def _in(n: int) -> str:
    return ",".join(["%s"] * n)


def tree_size(cursor) -> int:
    cursor.execute("SELECT MAX(idx) FROM ledger_leaf")
    row = cursor.fetchone()
    return 0 if row[0] is None else row[0] + 1


def fetch_nodes(cursor, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Hashes of complete subtrees by (level, index); level 0 comes from the leaves. Missing keys are absent."""
    leaves = sorted({i for level, i in keys if level == 0})
    inner = sorted({node_key(level, i) for level, i in keys if level > 0})
    out: dict[tuple[int, int], bytes] = {}
    # SQLite allows 32766 variables per statement; proofs need ~2 log2 n, so chunking is for bulk callers only.
    for chunk in (leaves[i : i + 900] for i in range(0, len(leaves), 900)):
        cursor.execute(f"SELECT idx, leaf_hash FROM ledger_leaf WHERE idx IN ({_in(len(chunk))})", chunk)
        for idx, h in cursor.fetchall():
            out[(0, idx)] = _b(h)
    for chunk in (inner[i : i + 900] for i in range(0, len(inner), 900)):
        cursor.execute(f"SELECT key, hash FROM ledger_node WHERE key IN ({_in(len(chunk))})", chunk)
        for key, h in cursor.fetchall():
            out[(key >> NODE_LEVEL_SHIFT, key & _INDEX_MASK)] = _b(h)
    return out


def range_hashes(cursor, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """MTH(D[start:end]) for each range, from one fetch of the complete subtrees they need."""
    wanted = [k for s, e in ranges for k in merkle.range_nodes(s, e)]
    nodes = fetch_nodes(cursor, wanted)
    missing = [k for k in wanted if k not in nodes]
    if missing:
        raise LookupError(f"ledger storage is missing complete subtrees {missing[:5]}")
    return [merkle.range_hash(s, e, nodes) for s, e in ranges]


def append(items: Sequence[NewLeaf], *, using: str = "default") -> list[AppendedLeaf]:
    """Append leaves in order, inside the caller's transaction (or a new one): the inline path (SQLite, or
    `LEDGER_SEQUENCER=inline`). On PostgreSQL it takes the ledger's advisory lock until commit; the queued path
    (sequencer.py) takes the same lock only in the sequencer, never in the writer's transaction."""
    if not items:
        return []
    conn = connections[using]
    if not conn.in_atomic_block:  # the journal's transaction is the normal case; alone, make one
        with transaction.atomic(using=using):
            return append(items, using=using)
    c = raw_cursor(using, conn)
    if conn.vendor == "postgresql":
        c.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
    return append_locked(c, items)


def append_locked(c, items: Sequence[NewLeaf], *, step=None) -> list[AppendedLeaf]:
    """The append itself, for a caller that already holds the ledger lock (or SQLite's write lock).

    `step(name)`, when given, is called between the statements (the sequencer's kill -9 tests use it)."""
    # One query gives the size and the newest leaf, which is the frontier's level-0 subtree when the
    # size is odd; higher frontier subtrees are read only if this append merges them (1 append in 4).
    c.execute("SELECT idx, leaf_hash FROM ledger_leaf ORDER BY idx DESC LIMIT 1")
    last = c.fetchone()
    size = 0 if last is None else last[0] + 1
    top = (size ^ (size + len(items))).bit_length()
    stack_keys = []  # the frontier subtrees below level `top`, left to right: the ones this append merges
    pos = size >> top << top
    for level in range(top - 1, -1, -1):
        if size >> level & 1:
            stack_keys.append((level, pos >> level))
            pos += 1 << level
    stack: list[bytes] = []
    if stack_keys:
        got = {(0, size - 1): _b(last[1])} if size & 1 else {}
        if any(k not in got for k in stack_keys):
            got.update(fetch_nodes(c, [k for k in stack_keys if k not in got]))
        stack = [got[k] for k in stack_keys]
    leaf_rows, node_rows, doc_rows, out = [], [], [], []
    index = size
    leaf_hash, node_hash = merkle.leaf_hash, merkle.node_hash
    for item in items:
        h = leaf_hash(item.leaf_input)
        leaf_rows.append((index, h, item.leaf_input, item.record_id))
        for d in item.documents:
            doc_rows.append((bytes.fromhex(d), index))
        out.append(AppendedLeaf(index, h))
        i, level = index, 0
        while i & 1:
            h = node_hash(stack.pop(), h)
            i >>= 1
            level += 1
            node_rows.append((level << NODE_LEVEL_SHIFT | i, h))
        stack.append(h)
        index += 1
    tables = [("ledger_leaf", ("idx", "leaf_hash", "leaf_input", "record_id"), leaf_rows),
              ("ledger_node", ("key", "hash"), node_rows), ("ledger_document", ("sha256", "leaf_index"), doc_rows)]
    if not c._qmark and len(leaf_rows) + len(node_rows) + len(doc_rows) <= FOLD_ROWS:
        _insert_folded(c, tables)  # PostgreSQL, a small batch: all three tables in one statement
        for name in ("leaves", "nodes", "documents"):
            step and step(name)
        return out
    for (table, columns, rows), name in zip(tables, ("leaves", "nodes", "documents"), strict=True):
        _insert(c, table, columns, rows)
        step and step(name)
    return out


FOLD_ROWS = 300  # up to this many rows, one INSERT statement beats three COPYs (each a round trip or two)


def _insert_folded(c, tables) -> None:
    """INSERT into several tables in one statement (data-modifying CTEs; PostgreSQL only): one round trip."""
    parts, params = [], []
    for table, columns, rows in tables:
        if rows:
            row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
            parts.append(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row_sql] * len(rows))}")
            params += [x for row in rows for x in row]
    if not parts:
        return
    *ctes, last = parts
    sql = ("WITH " + ", ".join(f"i{n} AS ({q})" for n, q in enumerate(ctes)) + " " if ctes else "") + last
    c.execute(sql, params)


def _insert(c, table: str, columns: Sequence[str], rows: list) -> None:
    """Rows into `table`: one INSERT for one row; COPY on PostgreSQL for more (no statement to parse per
    row); executemany on SQLite."""
    if not rows:
        return
    if len(rows) > 1 and c.copy_in(table, columns, rows):
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    if len(rows) == 1:
        c.execute(sql, rows[0])
    else:
        c.executemany(sql, rows)


def leaf_index_by_hash(cursor, leaf_hash: bytes) -> int | None:
    cursor.execute("SELECT idx FROM ledger_leaf WHERE leaf_hash = %s", [leaf_hash])
    row = cursor.fetchone()
    return None if row is None else row[0]


def leaf_for_document(cursor, sha256: bytes, tree_size_: int) -> tuple[int, bytes] | None:
    """The first leaf before `tree_size_` that lists the document, with its leaf_input."""
    cursor.execute(
        "SELECT d.leaf_index, l.leaf_input FROM ledger_document d JOIN ledger_leaf l ON l.idx = d.leaf_index"
        " WHERE d.sha256 = %s AND d.leaf_index < %s ORDER BY d.leaf_index LIMIT 1",
        [sha256, tree_size_],
    )
    row = cursor.fetchone()
    return None if row is None else (row[0], _b(row[1]))


def leaf_inputs(cursor, start: int, end: int) -> list[bytes]:
    """leaf_input of leaves start..end inclusive."""
    cursor.execute(
        "SELECT leaf_input FROM ledger_leaf WHERE idx >= %s AND idx <= %s ORDER BY idx", [start, end]
    )
    return [_b(r[0]) for r in cursor.fetchall()]

"""Recompute the whole log from its leaf inputs and compare with everything stored.

One streaming pass in leaf order, O(log n) memory for the tree: each leaf hash is recomputed from leaf_input,
each complete subtree rebuilt and compared with its stored row, the document index compared with what each leaf
lists, and the root at every stored tree head's size compared with the signed root (whose signature is checked).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import keys, merkle, store
from .leaves import LeafFormatError, leaf_documents
from .models import TreeHead, node_key

CHUNK = 5000


@dataclass(frozen=True)
class Problem:
    what: str  # "leaf", "node", "tree_head", "document_index", "journal_entry", "blob", …
    id: str
    message: str

    def __str__(self):
        return f"TAMPERED {self.what} {self.id}: {self.message}"


def ledger_audit(*, public_key=None, using: str = "default") -> tuple[list[Problem], dict]:
    """(problems, summary). An empty problem list means every row, node and tree head matches its leaves."""
    pub = public_key or keys.public_key()
    kid = keys.key_id(pub)
    problems: list[Problem] = []
    heads = sorted(TreeHead.objects.using(using).all(), key=lambda t: (t.tree_size, t.id))
    pending = list(heads)
    frontier = merkle.Frontier()
    leaves_seen = 0

    def check_heads_at(size: int) -> None:
        while pending and pending[0].tree_size == size:
            th = pending.pop(0)
            _check_head(th, frontier.root(), pub, kid, problems)

    check_heads_at(0)
    with store.cursor(using) as c:
        last = -1
        while True:
            c.execute(
                "SELECT idx, leaf_hash, leaf_input FROM ledger_leaf WHERE idx > %s ORDER BY idx LIMIT %s",
                [last, CHUNK],
            )
            rows = c.fetchall()
            if not rows:
                break
            lo, hi = rows[0][0], rows[-1][0]
            c.execute(
                "SELECT id, sha256, leaf_index FROM ledger_document WHERE leaf_index >= %s AND leaf_index <= %s",
                [lo, hi],
            )
            indexed: dict[int, list[tuple[int, bytes]]] = {}
            for did, sha, li in c.fetchall():
                indexed.setdefault(li, []).append((did, store._b(sha)))
            created: list[tuple[int, int, bytes]] = []
            for idx, stored_hash, leaf_input in rows:
                leaf_input = store._b(leaf_input)
                if idx != frontier.size:
                    problems.append(Problem("leaf", str(frontier.size), f"missing: next stored leaf is {idx}"))
                    return problems, {"leaves": leaves_seen, "tree_heads": len(heads)}
                h = merkle.leaf_hash(leaf_input)
                if store._b(stored_hash) != h:
                    problems.append(Problem("leaf", str(idx), "leaf_hash does not match leaf_input"))
                try:
                    listed = {bytes.fromhex(d) for d in leaf_documents(leaf_input)}
                except LeafFormatError as exc:
                    problems.append(Problem("leaf", str(idx), f"leaf_input is not a valid leaf: {exc}"))
                    listed = set()
                rows_here = indexed.get(idx, [])
                for did, sha in rows_here:
                    if sha not in listed:
                        problems.append(Problem("document_index", str(did), f"leaf {idx} does not list {sha.hex()}"))
                for sha in listed - {sha for _, sha in rows_here}:
                    problems.append(Problem("leaf", str(idx), f"document {sha.hex()} is not indexed"))
                created.extend(x for x in frontier.append(h)[1:])
                leaves_seen += 1
                check_heads_at(frontier.size)
            stored = store.fetch_nodes(c, [(lv, i) for lv, i, _ in created])
            for lv, i, h in created:
                got = stored.get((lv, i))
                if got is None:
                    problems.append(Problem("node", f"{node_key(lv, i)} (level {lv}, index {i})", "missing"))
                elif got != h:
                    problems.append(
                        Problem("node", f"{node_key(lv, i)} (level {lv}, index {i})", "hash does not match leaves")
                    )
            last = hi
        c.execute("SELECT COUNT(*) FROM ledger_node")
        expected = frontier.size - bin(frontier.size).count("1")
        count = c.fetchone()[0]
        if count != expected:
            problems.append(Problem("node", "*", f"{count} stored subtrees, expected {expected}"))
        c.execute("SELECT id, leaf_index FROM ledger_document WHERE leaf_index >= %s", [frontier.size])
        for did, li in c.fetchall():
            problems.append(Problem("document_index", str(did), f"points to leaf {li}, beyond the log"))
    for th in pending:
        problems.append(Problem("tree_head", str(th.id), f"covers {th.tree_size} leaves; the log has {frontier.size}"))
    by_id = sorted(heads, key=lambda t: t.id)
    for prev, cur in zip(by_id, by_id[1:], strict=False):
        if cur.tree_size < prev.tree_size or cur.timestamp < prev.timestamp:
            problems.append(Problem("tree_head", str(cur.id), f"goes backwards from tree head {prev.id}"))
    problems += tree_head_chain_audit(heads)
    return problems, {"leaves": frontier.size, "tree_heads": len(heads), "root": frontier.root().hex()}


def _check_head(th: TreeHead, root: bytes, pub, kid: str, problems: list[Problem]) -> None:
    if bytes(th.root_hash) != root:
        problems.append(Problem("tree_head", str(th.id), f"root at size {th.tree_size} does not match the leaves"))
    if th.key_id != kid:
        problems.append(Problem("tree_head", str(th.id), "signed with a key other than the log's current key"))
    elif not th.as_sth().verify(pub):
        problems.append(Problem("tree_head", str(th.id), "signature does not verify"))


def tree_head_chain_audit(heads) -> list[Problem]:
    """Tree heads carry seq 1, 2, 3 … and the digest of their predecessor: a deleted one leaves a gap or a
    broken link; one deleted from the end is found against the anchor written outside the database."""
    from .anchor import anchor_read
    from .services import tree_head_digest

    problems: list[Problem] = []
    chained = sorted((h for h in heads if h.seq is not None), key=lambda h: h.seq)
    by_seq = {h.seq: h for h in chained}
    previous = None
    for head in chained:
        if previous is not None and head.seq != previous.seq + 1:
            missing = f"{previous.seq + 1}" if head.seq == previous.seq + 2 else f"{previous.seq + 1}–{head.seq - 1}"
            problems.append(Problem("tree_head", f"seq {missing}", f"deleted: tree head {head.id} follows seq {previous.seq}"))
        elif previous is not None and head.prev_hash != tree_head_digest(previous):
            problems.append(Problem("tree_head", str(head.id), "does not link to the tree head before it"))
        previous = head
    for line in anchor_read():
        seq = line.get("sth")
        head = by_seq.get(seq)
        if head is None:
            problems.append(Problem("tree_head", f"seq {seq}", "deleted: the anchor outside the database records it"))
        elif bytes(head.root_hash).hex() != line.get("root") or head.tree_size != line.get("tree_size"):
            problems.append(Problem("tree_head", str(head.id), "differs from the anchor outside the database"))
    return problems

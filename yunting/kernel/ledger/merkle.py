"""RFC 9162 (Certificate Transparency v2) Merkle tree math: pure functions, no Django, no storage.

Leaf hash  = SHA-256(0x00 ‖ leaf_input)            (RFC 9162 §2.1.1)
Node hash  = SHA-256(0x01 ‖ left ‖ right)
MTH({})    = SHA-256("")
MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n]))  with k the largest power of two smaller than n.

Every subtree the RFC's recursion ever touches, D[start:end], starts at a multiple of a power of two at least as
large as its width, so its hash is a right fold of the *complete* (perfect, aligned) subtrees of the binary
decomposition of end - start. A store that keeps only complete subtrees, keyed (level, index), can therefore
answer roots and proofs for any tree size from O(log n) stored hashes: `range_nodes` names them, `range_hash`
folds them. Proof generators here work on a `subtree(start, end) -> hash` callable; `inclusion_ranges` and
`consistency_ranges` say in advance which subtrees a proof needs, so a store can fetch them in one query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

Hash = bytes
SubtreeHash = Callable[[int, int], Hash]
_sha256 = hashlib.sha256
EMPTY_ROOT: Hash = _sha256(b"").digest()


class ProofError(ValueError):
    """A proof was asked for sizes or indices that do not describe a tree."""


def leaf_hash(leaf_input: bytes) -> Hash:
    return _sha256(b"\x00" + leaf_input).digest()


def node_hash(left: Hash, right: Hash) -> Hash:
    return _sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# --- reference implementation over a list of leaf hashes (tests, small trees, recomputation) ---------------------


def mth(leaf_hashes: Sequence[Hash]) -> Hash:
    """Merkle Tree Hash of a list of leaf hashes, exactly as RFC 9162 §2.1.1 defines it (recursive)."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = split_point(n)
    return node_hash(mth(leaf_hashes[:k]), mth(leaf_hashes[k:]))


def list_subtree(leaf_hashes: Sequence[Hash]) -> SubtreeHash:
    """A `subtree(start, end)` over an in-memory list (recursive MTH; O(width))."""
    return lambda start, end: mth(leaf_hashes[start:end])


def root_from_leaves(leaf_hashes: Iterable[Hash]) -> Hash:
    """Streaming MTH in O(log n) memory: a stack of complete subtrees, folded right to left at the end."""
    frontier = Frontier()
    for h in leaf_hashes:
        frontier.append(h)
    return frontier.root()


class Frontier:
    """The complete subtrees of a growing tree (one per set bit of its size), newest last.

    `append` returns the nodes it completed as (level, index, hash), the leaf itself first, so a caller can
    store them: amortised O(1), worst O(log n).
    """

    __slots__ = ("size", "hashes")

    def __init__(self, size: int = 0, hashes: Sequence[Hash] = ()):
        if len(hashes) != bin(size).count("1"):
            raise ValueError("a frontier holds one hash per set bit of the tree size")
        self.size = size
        self.hashes = list(hashes)

    def append(self, h: Hash) -> list[tuple[int, int, Hash]]:
        index = self.size
        created = [(0, index, h)]
        level = 0
        while index & 1:
            h = node_hash(self.hashes.pop(), h)
            index >>= 1
            level += 1
            created.append((level, index, h))
        self.hashes.append(h)
        self.size += 1
        return created

    def root(self) -> Hash:
        if not self.hashes:
            return EMPTY_ROOT
        acc = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            acc = node_hash(h, acc)
        return acc


# --- complete subtrees ---------------------------------------------------------------------------------------------


def frontier_nodes(size: int) -> list[tuple[int, int]]:
    """(level, index) of the complete subtrees making up a tree of `size` leaves, left to right."""
    return range_nodes(0, size)


def range_nodes(start: int, end: int) -> list[tuple[int, int]]:
    """(level, index) of the complete subtrees whose right fold is MTH(D[start:end]), left to right.

    Valid for the ranges RFC 9162's recursion produces (start aligned to a power of two >= end - start).
    """
    nodes = []
    pos = start
    width = end - start
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            nodes.append((level, pos >> level))
            pos += 1 << level
    return nodes


def fold(hashes: Sequence[Hash]) -> Hash:
    """Right fold of complete-subtree hashes: h0 ‖ (h1 ‖ (h2 ‖ …))."""
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def range_hash(start: int, end: int, nodes: Mapping[tuple[int, int], Hash]) -> Hash:
    return fold([nodes[key] for key in range_nodes(start, end)])


# --- which subtrees a proof needs ------------------------------------------------------------------------------------


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The [start, end) subtrees of PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), leaf side first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    out: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start += k
    out.reverse()
    return out


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The [start, end) subtrees of PROOF(first, D[0:second]) (RFC 9162 §2.1.4.1), in proof order.

    Empty for first == 0 or first == second (nothing to prove).
    """
    if not 0 <= first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    if first == 0 or first == second:
        return []
    out: list[tuple[int, int]] = []
    m, start, end, complete = first, 0, second, True
    while True:
        n = end - start
        if m == n:
            if not complete:
                out.append((start, end))
            break
        k = split_point(n)
        if m <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            m -= k
            start += k
            complete = False
    out.reverse()
    return out


def inclusion_proof(index: int, size: int, subtree: SubtreeHash) -> list[Hash]:
    return [subtree(s, e) for s, e in inclusion_ranges(index, size)]


def consistency_proof(first: int, second: int, subtree: SubtreeHash) -> list[Hash]:
    return [subtree(s, e) for s, e in consistency_ranges(first, second)]


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2, step by step) ----------------------------------------------------


def root_from_inclusion_proof(leaf: Hash, index: int, size: int, path: Sequence[Hash]) -> Hash:
    """The root an inclusion proof leads to; raises ProofError when the path has the wrong shape."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    fn, sn = index, size - 1
    r = leaf
    for p in path:
        if sn == 0:
            raise ProofError("inclusion path is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion path is too short")
    return r


def verify_inclusion(leaf: Hash, index: int, size: int, path: Sequence[Hash], root: Hash) -> bool:
    try:
        return root_from_inclusion_proof(leaf, index, size, path) == root
    except ProofError:
        return False


def verify_consistency(first: int, second: int, first_root: Hash, second_root: Hash, path: Sequence[Hash]) -> bool:
    """RFC 9162 §2.1.4.2; first == second needs an empty path and equal roots; first == 0 is trivially true."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    if first == 0:
        return not path
    if not path:
        return False
    path = list(path)
    if first & (first - 1) == 0:  # an exact power of two: the first tree is itself a complete subtree
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


def inclusion_steps(leaf: Hash, index: int, size: int, path: Sequence[Hash]) -> list[dict]:
    """The verification of an inclusion proof as human-readable steps (for the public verify page)."""
    steps = []
    fn, sn = index, size - 1
    r = leaf
    for i, p in enumerate(path):
        if sn == 0:
            steps.append({"step": i + 1, "error": "path too long"})
            return steps
        if fn & 1 or fn == sn:
            new = node_hash(p, r)
            steps.append({"step": i + 1, "left": p.hex(), "right": r.hex(), "result": new.hex(), "side": "left"})
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            new = node_hash(r, p)
            steps.append({"step": i + 1, "left": r.hex(), "right": p.hex(), "result": new.hex(), "side": "right"})
        r = new
        fn >>= 1
        sn >>= 1
    return steps

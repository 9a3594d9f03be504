"""RFC 9162 math: the RFC's own example tree, property tests for random trees, and a cross-check with pymerkle."""

import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from yunting.kernel.ledger import merkle as M

# --- the example tree of RFC 9162 §2.1.5 (= RFC 6962 §2.1.3): seven leaves d0…d6 --------------------------------
#            hash
#           /    \
#          k      l
#         / \    / \
#        g   h  i   j
#       / \ / \ / \  |
#       a b c d e f  d6


@pytest.fixture(scope="module")
def rfc():
    data = [f"d{i}".encode() for i in range(7)]
    a, b, c, d, e, f, j = (M.leaf_hash(x) for x in data)  # j = the lone leaf d6
    g, h, i = M.node_hash(a, b), M.node_hash(c, d), M.node_hash(e, f)
    k, l_ = M.node_hash(g, h), M.node_hash(i, j)
    leaves = [a, b, c, d, e, f, j]
    return dict(leaves=leaves, a=a, b=b, c=c, d=d, e=e, f=f, g=g, h=h, i=i, j=j, k=k, l=l_, root=M.node_hash(k, l_))


def test_rfc_example_root(rfc):
    assert M.mth(rfc["leaves"]) == rfc["root"]


@pytest.mark.parametrize(
    "index, expected",
    [(0, "b h l"), (3, "c g l"), (4, "f j k"), (6, "i k")],  # the four audit paths the RFC lists
)
def test_rfc_example_inclusion_paths(rfc, index, expected):
    path = M.inclusion_proof(index, 7, M.list_subtree(rfc["leaves"]))
    assert path == [rfc[x] for x in expected.split()]
    assert M.verify_inclusion(rfc["leaves"][index], index, 7, path, rfc["root"])


@pytest.mark.parametrize(
    "first, expected",
    [(3, "c d g l"), (4, "l"), (6, "i j k")],  # the three consistency proofs the RFC lists
)
def test_rfc_example_consistency_proofs(rfc, first, expected):
    path = M.consistency_proof(first, 7, M.list_subtree(rfc["leaves"]))
    assert path == [rfc[x] for x in expected.split()]
    assert M.verify_consistency(first, 7, M.mth(rfc["leaves"][:first]), rfc["root"], path)


def test_empty_tree_and_hash_prefixes():
    assert M.mth([]) == M.EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert M.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert M.node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()


def _leaves(n):
    return [M.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


_LEAVES = _leaves(300)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_every_inclusion_proof_verifies(case):
    n, m = case
    leaves = _LEAVES[:n]
    root = M.mth(leaves)
    path = M.inclusion_proof(m, n, M.list_subtree(leaves))
    assert M.verify_inclusion(leaves[m], m, n, path, root)
    # same answer from complete subtrees only, as the store computes it
    nodes = {}
    f = M.Frontier()
    for h in leaves:
        for lv, i, x in f.append(h):
            nodes[(lv, i)] = x
    assert [M.range_hash(s, e, nodes) for s, e in M.inclusion_ranges(m, n)] == path
    assert f.root() == root == M.range_hash(0, n, nodes) == M.root_from_leaves(leaves)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))), st.data())
def test_altered_inclusion_proofs_fail(case, data):
    n, m = case
    leaves = _LEAVES[:n]
    root = M.mth(leaves)
    path = M.inclusion_proof(m, n, M.list_subtree(leaves))
    alteration = data.draw(st.sampled_from(["flip", "drop", "extra", "index", "leaf", "root"]))
    # (A different tree_size with the same path shape is not an alteration of the proof: the signed tree
    # head binds size and root together, so a verifier always uses the size the root was signed with.)
    if alteration == "flip":
        assume(path)
        k = data.draw(st.integers(0, len(path) - 1))
        bit = data.draw(st.integers(0, 255))
        p = bytearray(path[k])
        p[bit // 8] ^= 1 << (bit % 8)
        bad = (leaves[m], m, n, path[:k] + [bytes(p)] + path[k + 1 :], root)
    elif alteration == "drop":
        assume(path)
        bad = (leaves[m], m, n, path[:-1], root)
    elif alteration == "extra":
        bad = (leaves[m], m, n, path + [leaves[0]], root)
    elif alteration == "index":
        other = data.draw(st.integers(0, n - 1))
        assume(other != m)
        bad = (leaves[m], other, n, path, root)
    elif alteration == "leaf":
        bad = (M.leaf_hash(b"not a leaf"), m, n, path, root)
    else:
        bad = (leaves[m], m, n, path, M.leaf_hash(b"other root"))
    assert not M.verify_inclusion(*bad)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))))
def test_every_consistency_proof_verifies(case):
    m, n = case
    leaves = _LEAVES[:n]
    path = M.consistency_proof(m, n, M.list_subtree(leaves))
    assert M.verify_consistency(m, n, M.mth(leaves[:m]), M.mth(leaves), path)


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 300).flatmap(lambda n: st.tuples(st.integers(1, n - 1), st.just(n))), st.data())
def test_altered_consistency_proofs_fail(case, data):
    m, n = case
    leaves = _LEAVES[:n]
    r1, r2 = M.mth(leaves[:m]), M.mth(leaves)
    path = M.consistency_proof(m, n, M.list_subtree(leaves))
    alteration = data.draw(st.sampled_from(["flip", "drop", "extra", "first_root", "second_root", "sizes"]))
    if alteration == "flip":
        k = data.draw(st.integers(0, len(path) - 1))
        p = bytearray(path[k])
        p[data.draw(st.integers(0, 31))] ^= 0x80
        assert not M.verify_consistency(m, n, r1, r2, path[:k] + [bytes(p)] + path[k + 1 :])
    elif alteration == "drop":
        assert not M.verify_consistency(m, n, r1, r2, path[:-1])
    elif alteration == "extra":
        assert not M.verify_consistency(m, n, r1, r2, path + [r1])
    elif alteration == "first_root":
        assert not M.verify_consistency(m, n, M.leaf_hash(b"forked"), r2, path)
    elif alteration == "second_root":
        assert not M.verify_consistency(m, n, r1, M.leaf_hash(b"forked"), path)
    else:
        other = data.draw(st.integers(1, n - 1))
        assume(other != m)
        # Proofs for different sizes can coincide only if they prove the same thing; roots must still match.
        assert not M.verify_consistency(other, n, r1, r2, path) or M.mth(leaves[:other]) == r1


def test_consistency_edge_cases():
    leaves = _LEAVES[:5]
    r = M.mth(leaves)
    assert M.consistency_ranges(5, 5) == [] and M.verify_consistency(5, 5, r, r, [])
    assert not M.verify_consistency(5, 5, r, M.EMPTY_ROOT, [])
    assert M.consistency_ranges(0, 5) == [] and M.verify_consistency(0, 5, M.EMPTY_ROOT, r, [])
    assert not M.verify_consistency(3, 5, M.mth(leaves[:3]), r, [])
    assert not M.verify_consistency(6, 5, r, r, [])
    with pytest.raises(M.ProofError):
        M.consistency_ranges(6, 5)
    with pytest.raises(M.ProofError):
        M.inclusion_ranges(5, 5)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 31, 64, 100, 257])
def test_matches_pymerkle(n):
    """pymerkle 7 is an independent RFC 9162 implementation: same roots and inclusion paths;
    our consistency proofs verify against pymerkle's roots (pymerkle encodes consistency paths its own way)."""
    data = [f"entry {i}".encode() for i in range(n)]
    tree = InmemoryTree(algorithm="sha256")
    for x in data:
        tree.append_entry(x)
    leaves = [M.leaf_hash(x) for x in data]
    sub = M.list_subtree(leaves)
    for size in range(1, n + 1):
        assert tree.get_root(size) == M.mth(leaves[:size])
    for size in {1, n // 2 or 1, n}:
        for i in range(size):
            assert tree.prove_inclusion(i + 1, size).path[1:] == M.inclusion_proof(i, size, sub)
        for first in range(1, size + 1):
            theirs = tree.prove_consistency(first, size)
            ours = M.consistency_proof(first, size, sub)
            theirs.verify(tree.get_root(first), tree.get_root(size))  # pymerkle's own proof, its own check
            assert M.verify_consistency(first, size, tree.get_root(first), tree.get_root(size), ours)

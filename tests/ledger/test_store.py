"""The stored tree: one append at a time or in batches, it gives pymerkle's roots and proofs for every size."""

import random

import pytest
from django.db import connection, transaction
from pymerkle import InmemoryTree

from yunting.kernel import ledger
from yunting.kernel.ledger import merkle as M
from yunting.kernel.ledger import store
from yunting.kernel.ledger.errors import LedgerError
from yunting.kernel.ledger.leaves import leaf_input_for

pytestmark = pytest.mark.django_db


def test_public_surface_is_pinned():
    assert ledger.__all__ == sorted([
        "LedgerError", "LedgerMonitor", "NewLeaf", "commitment", "ensure_signing_key", "leaf_input_for",
        "ledger_append", "ledger_append_many", "ledger_audit", "ledger_consistency_proof", "ledger_entries",
        "ledger_inclusion_proof", "ledger_leaf", "ledger_leaf_for_record", "ledger_proof_by_document",
        "ledger_proof_by_hash", "ledger_root", "ledger_size", "ledger_sth_current", "ledger_sth_issue",
        "ledger_sth_latest", "ledger_sth_tick", "make_bundle", "parse_leaf_input", "public_key_pem",
        "verify_bundle",
    ])
    for name in ledger.__all__:
        assert getattr(ledger, name) is not None


def test_single_appends_match_pymerkle_at_every_size(append_leaves):
    tree = InmemoryTree(algorithm="sha256")
    assert ledger.ledger_root(0) == M.EMPTY_ROOT
    for i in range(70):
        (li,) = append_leaves(1, start=i)
        tree.append_entry(li)
        size = i + 1
        assert ledger.ledger_size() == size
        assert ledger.ledger_root(size) == tree.get_root(size)
    rng = random.Random(7)
    for _ in range(150):
        size = rng.randint(1, 70)
        index = rng.randrange(size)
        proof = ledger.ledger_inclusion_proof(index, size)
        assert proof.audit_path == tree.prove_inclusion(index + 1, size).path[1:]
        assert M.verify_inclusion(proof.leaf_hash, index, size, proof.audit_path, tree.get_root(size))
        first = rng.randint(0, size)
        path = ledger.ledger_consistency_proof(first, size)
        first_root = tree.get_root(first) if first else M.EMPTY_ROOT
        assert M.verify_consistency(first, size, first_root, tree.get_root(size), path)


def test_batches_of_any_length_store_the_same_tree(append_leaves):
    rng = random.Random(3)
    inputs = []
    while len(inputs) < 300:
        inputs += append_leaves(rng.randint(1, 40), start=len(inputs))
    hashes = [M.leaf_hash(x) for x in inputs]
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM ledger_node")
        assert c.fetchone()[0] == len(inputs) - bin(len(inputs)).count("1")  # complete subtrees only: O(n)
    for size in (1, 2, 5, 64, 65, 200, len(inputs)):
        assert ledger.ledger_root(size) == M.mth(hashes[:size])
    assert ledger.ledger_entries(10, 12) == inputs[10:13]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's statement trace; same code on PostgreSQL")
def test_append_touches_only_log_n_rows(append_leaves):
    """An append reads the frontier hashes it merges and writes the leaf plus the subtrees it completes."""
    append_leaves(1023)
    statements = []
    connection.ensure_connection()
    connection.connection.set_trace_callback(statements.append)
    try:
        append_leaves(1, start=1023)  # completes 10 subtrees at once: the worst case at this size
    finally:
        connection.connection.set_trace_callback(None)
    inserts = [q for q in statements if q.startswith("INSERT")]
    assert [q.split(" (")[0] for q in inserts] == ["INSERT INTO ledger_leaf"] + ["INSERT INTO ledger_node"] * 10
    selects = [q for q in statements if q.startswith("SELECT")]
    assert len(selects) == 2  # the newest leaf (size + level-0 frontier), then the 9 higher frontier subtrees
    with connection.cursor() as c:
        c.execute("SELECT hash FROM ledger_node WHERE key = %s", [store.node_key(10, 0)])
        assert bytes(c.fetchone()[0]) == ledger.ledger_root(1024)


def test_rolled_back_append_leaves_no_trace(append_leaves):
    append_leaves(5)
    with pytest.raises(RuntimeError), transaction.atomic():
        append_leaves(3, start=5)
        raise RuntimeError("the journal entry failed")
    assert ledger.ledger_size() == 5
    append_leaves(3, start=100)
    assert ledger.ledger_size() == 8


def test_documents_must_be_listed_in_their_leaf():
    li = leaf_input_for(kind="test.x", time="2026-01-01T00:00:00.000000Z", commitment_hex="a" * 64, documents=[])
    with pytest.raises(LedgerError):
        ledger.ledger_append(li, documents=["b" * 64])
    assert ledger.ledger_size() == 0


def test_bad_ranges_are_refused_with_clear_errors(append_leaves):
    append_leaves(4)
    for call in (
        lambda: ledger.ledger_root(5),
        lambda: ledger.ledger_inclusion_proof(4, 4),
        lambda: ledger.ledger_inclusion_proof(0, 5),
        lambda: ledger.ledger_consistency_proof(3, 2),
        lambda: ledger.ledger_consistency_proof(1, 9),
        lambda: ledger.ledger_entries(4, 5),
        lambda: ledger.ledger_entries(2, 1),
        lambda: ledger.ledger_proof_by_hash(b"x" * 32, 4),
        lambda: ledger.ledger_proof_by_document("z" * 64, 4),
        lambda: ledger.ledger_proof_by_document("a" * 64, 4),
    ):
        with pytest.raises(LedgerError) as exc:
            call()
        assert exc.value.http_status == 400 and exc.value.message


def test_tables_are_append_only(append_leaves):
    from django.db import DatabaseError

    append_leaves(2)
    ledger.ledger_sth_issue()
    for sql, params in (
        ("UPDATE ledger_leaf SET record_id = 1", []),
        ("DELETE FROM ledger_leaf", []),
        ("UPDATE ledger_node SET hash = %s", [b"\x00"]),
        ("DELETE FROM ledger_treehead", []),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as c:
                c.execute(sql, params)


def test_get_entries_is_capped_at_1000(append_leaves):
    append_leaves(1100)
    assert len(ledger.ledger_entries(0, 5000)) == 1000
    assert len(ledger.ledger_entries(1000, 5000)) == 100

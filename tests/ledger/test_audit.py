"""`yunting audit` catches every row, blob and tree head changed behind the application's back."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from yunting.core.journal.ledger_glue import audit_everything
from yunting.kernel import ledger
from yunting.kernel.blobs.store import blob_key, storage
from yunting.kernel.ledger.models import node_key

from .helpers import add_document

pytestmark = pytest.mark.django_db
TABLES = ["journal_journalentry", "ledger_leaf", "ledger_node", "ledger_treehead", "ledger_document"]


@pytest.fixture
def court_log(make_case, users):
    """Two cases, four documents, a tree head after every entry."""
    import uuid

    a, b = make_case(), make_case()
    ledger.ledger_sth_issue()
    run = uuid.uuid4().hex  # blobs live on disk across tests: unique bytes, so one test's tampering stays its own
    entries, pdfs = [], []
    for i, case in enumerate([a, b, a, b]):
        e, pdf = add_document(case, users["lawyer"], body=f"证据 {i} {run}")
        entries.append(e)
        pdfs.append(pdf)
        ledger.ledger_sth_issue()
    problems, summary = audit_everything()
    assert problems == [] and summary["leaves"] == 6 and summary["tree_heads"] == 5
    return {"entries": entries, "pdfs": pdfs}


def behind_the_back(*sql_and_params):
    """Run raw SQL with the append-only triggers dropped (the test's transaction restores them)."""
    from yunting.kernel.security.triggers import append_only_sql

    with connection.cursor() as c:
        for t in TABLES:
            for sql in append_only_sql(connection.vendor, t)[1]:
                c.execute(sql)
        for sql, params in sql_and_params:
            c.execute(sql, params)


def found(problems, what, id_):
    return any(p.what == what and p.id.split(" ")[0] == str(id_) for p in problems)


def test_a_changed_journal_entry_is_caught(court_log):
    e = court_log["entries"][1]
    behind_the_back(("UPDATE journal_journalentry SET payload = %s WHERE id = %s", ['{"amount": "1"}', e.pk]))
    problems, _ = audit_everything()
    assert found(problems, "journal_entry", e.pk)


def test_a_changed_salt_is_caught(court_log):
    e = court_log["entries"][2]
    behind_the_back(("UPDATE journal_journalentry SET salt = %s WHERE id = %s", ["00" * 16, e.pk]))
    assert found(audit_everything()[0], "journal_entry", e.pk)


def test_a_changed_leaf_is_caught(court_log):
    behind_the_back(("UPDATE ledger_leaf SET leaf_input = %s WHERE idx = 3", [b'{"v":1}']))
    problems, _ = audit_everything()
    assert found(problems, "leaf", 3)


def test_a_consistently_rewritten_leaf_is_caught_by_nodes_tree_heads_and_journal(court_log):
    """Rewrite a leaf *and* its stored hash: the subtrees, the signed roots and the journal row still disagree."""
    from yunting.kernel.ledger import merkle
    from yunting.kernel.ledger.leaves import leaf_input_for

    e = court_log["entries"][0]
    idx, _ = ledger.ledger_leaf_for_record(e.pk)
    forged = leaf_input_for(kind="evidence.submitted", time="2026-01-01T00:00:00.000000Z",
                            commitment_hex="ab" * 32, documents=[])
    behind_the_back(("UPDATE ledger_leaf SET leaf_input = %s, leaf_hash = %s WHERE idx = %s",
                     [forged, merkle.leaf_hash(forged), idx]))
    problems, _ = audit_everything()
    assert found(problems, "journal_entry", e.pk)
    assert found(problems, "node", node_key(1, idx // 2))
    assert any(p.what == "tree_head" for p in problems)


def test_a_changed_node_is_caught(court_log):
    key = node_key(1, 0)
    behind_the_back(("UPDATE ledger_node SET hash = %s WHERE key = %s", [b"\x00" * 32, key]))
    assert found(audit_everything()[0], "node", key)




@pytest.mark.parametrize("column, value", [
    ("root_hash", b"\x11" * 32), ("signature", b"\x22" * 64), ("tree_size", 2), ("timestamp", 1),
])
def test_each_tampered_tree_head_is_caught(court_log, column, value):
    from yunting.kernel.ledger.models import TreeHead

    th = TreeHead.objects.order_by("id")[2]
    behind_the_back((f"UPDATE ledger_treehead SET {column} = %s WHERE id = %s", [value, th.id]))
    problems, _ = audit_everything()
    assert found(problems, "tree_head", th.id), problems


def test_a_changed_document_index_row_is_caught(court_log):
    with connection.cursor() as c:
        c.execute("SELECT id FROM ledger_document ORDER BY id LIMIT 1")
        (did,) = c.fetchone()
    behind_the_back(("UPDATE ledger_document SET sha256 = %s WHERE id = %s", [b"\x33" * 32, did]))
    assert found(audit_everything()[0], "document_index", did)


def test_a_changed_blob_is_caught(court_log):
    import hashlib

    sha = hashlib.sha256(court_log["pdfs"][1]).hexdigest()
    path = storage().path(blob_key(sha))
    with open(path, "r+b") as fh:
        fh.seek(100)
        fh.write(b"TAMPERED")
    assert found(audit_everything()[0], "blob", sha)


def test_everything_at_once_and_the_command_names_each_by_id(court_log):
    import hashlib

    from yunting.kernel.ledger.models import TreeHead

    e = court_log["entries"][3]
    th = TreeHead.objects.order_by("id").first()
    sha = hashlib.sha256(court_log["pdfs"][0]).hexdigest()
    with open(storage().path(blob_key(sha)), "ab") as fh:
        fh.write(b"appended")
    behind_the_back(
        ("UPDATE journal_journalentry SET kind = 'evidence.withdrawn' WHERE id = %s", [e.pk]),
        ("UPDATE ledger_node SET hash = %s WHERE key = %s", [b"\x01" * 32, node_key(2, 0)]),
        ("UPDATE ledger_treehead SET root_hash = %s WHERE id = %s", [b"\x02" * 32, th.id]),
    )
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", stdout=out)
    assert exit_.value.code == 1
    text = out.getvalue()
    assert f"TAMPERED journal_entry {e.pk}:" in text
    assert f"TAMPERED node {node_key(2, 0)} (level 2, index 0)" in text
    assert f"TAMPERED tree_head {th.id}:" in text
    assert f"TAMPERED blob {sha}:" in text
    assert "AUDIT FAILED" in text


def test_clean_audit_command(court_log):
    out = io.StringIO()
    call_command("audit", stdout=out)
    assert "AUDIT OK" in out.getvalue()

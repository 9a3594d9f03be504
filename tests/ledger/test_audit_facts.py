"""`yunting audit` re-derives the security-relevant rows from the journal and finds each tampering the security
test tried behind the application's back — by id."""

import pytest
from django.db import connection

from yunting.core.cases.models import Participation, Party
from yunting.core.efile.models import Document
from yunting.core.journal.ledger_glue import audit_everything
from yunting.kernel import ledger
from yunting.kernel.ledger.models import TreeHead
from yunting.kernel.security.audit import read_log
from yunting.kernel.security.models import ReadLog

from .helpers import add_document

pytestmark = pytest.mark.django_db


def behind_the_back(sql, params=()):
    """Raw SQL with every append-only trigger lifted (the test's transaction puts them back)."""
    from yunting.kernel.security.triggers import APPEND_ONLY_TABLES, append_only_sql

    with connection.cursor() as c:
        for table in sorted(APPEND_ONLY_TABLES):
            for statement in append_only_sql(connection.vendor, table)[1]:
                c.execute(statement)
        c.execute(sql, params)


def found(what, id_):
    problems, _ = audit_everything()
    return [p for p in problems if p.what == what and p.id == str(id_)]


@pytest.fixture
def two_cases(make_case, users):
    import uuid

    a, b = make_case(), make_case(security_level="secret")
    run = uuid.uuid4().hex
    add_document(a, users["lawyer"], body=f"甲案证据 {run}")
    add_document(b, users["lawyer"], body=f"乙案证据 {run}")
    problems, _ = audit_everything()
    assert problems == []
    return a, b


def test_a_document_swapped_to_another_cases_blob(two_cases):
    a, b = two_cases
    doc_a, doc_b = Document.objects.get(case=a), Document.objects.get(case=b)
    behind_the_back("UPDATE efile_document SET blob_id = %s WHERE id = %s", [doc_b.blob_id, doc_a.pk])
    assert found("document", doc_a.pk)


def test_a_document_title_changed(two_cases):
    doc = Document.objects.get(case=two_cases[0])
    behind_the_back("UPDATE efile_document SET title = %s WHERE id = %s", ["判决书", doc.pk])
    assert "title changed" in found("document", doc.pk)[0].message


def test_a_document_moved_to_another_case(two_cases):
    a, b = two_cases
    doc = Document.objects.get(case=a)
    behind_the_back("UPDATE efile_document SET case_id = %s WHERE id = %s", [b.pk, doc.pk])
    assert "case changed" in found("document", doc.pk)[0].message


def test_a_blob_type_changed(two_cases):
    doc = Document.objects.get(case=two_cases[0])
    behind_the_back("UPDATE blobs_blob SET mime_type = %s WHERE sha256 = %s", ["text/html", doc.blob_id])
    assert found("blob", doc.blob_id)


def test_a_party_renamed(two_cases):
    party = Party.objects.filter(case=two_cases[0]).order_by("order").last()
    behind_the_back("UPDATE cases_party SET name = %s WHERE id = %s", ["王五", party.pk])
    assert "name changed" in found("party", party.pk)[0].message


def test_a_secret_case_lowered_to_public(two_cases):
    secret = two_cases[1]
    behind_the_back("UPDATE cases_case SET security_level = %s WHERE id = %s", ["public", secret.pk])
    assert found("case", secret.pk)


def test_a_participation_inserted(two_cases, users):
    a, _ = two_cases
    behind_the_back("INSERT INTO cases_participation (case_id, user_id, role, created_at) VALUES (%s, %s, %s, %s)",
                    [a.pk, users["defendant"].pk, "party", "2026-12-01 00:00:00"])
    inserted = Participation.objects.get(case=a, user=users["defendant"])
    assert "inserted" in found("participation", inserted.pk)[0].message


def test_read_log_rows_deleted_in_the_middle_and_at_the_end(two_cases, users, django_capture_on_commit_callbacks):
    for i in range(6):
        read_log(user=users["judge"], action="case.view", channel="web", case_id=two_cases[0].pk, object_id=i)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.ledger_sth_issue()  # anchors the read log's head outside the database
    assert audit_everything()[0] == []
    rows = list(ReadLog.objects.order_by("seq"))
    behind_the_back("DELETE FROM security_readlog WHERE id = %s", [rows[2].pk])
    problems, _ = audit_everything()
    assert any(p.what == "readlog" and p.id == f"seq {rows[2].seq}" for p in problems)
    behind_the_back("DELETE FROM security_readlog WHERE id = %s", [rows[-1].pk])  # the newest, a clean tail
    problems, _ = audit_everything()
    assert any(p.what == "readlog" and p.id == f"seq {rows[-1].seq}" and "anchor" in p.message for p in problems)


def test_a_read_log_row_altered(two_cases, users):
    read_log(user=users["judge"], action="document.view", channel="web", case_id=two_cases[0].pk, object_id=1)
    row = ReadLog.objects.get()
    behind_the_back("UPDATE security_readlog SET username = %s WHERE id = %s", ["clerk", row.pk])
    assert found("readlog", row.pk)


def test_signed_tree_heads_deleted_in_the_middle_and_at_the_end(two_cases, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        heads = [ledger.ledger_sth_issue() for _ in range(4)]
    assert [h.seq for h in heads] == [heads[0].seq + i for i in range(4)]
    assert audit_everything()[0] == []
    behind_the_back("DELETE FROM ledger_treehead WHERE id = %s", [heads[1].pk])
    problems, _ = audit_everything()
    assert any(p.what == "tree_head" and p.id == f"seq {heads[1].seq}" for p in problems)
    behind_the_back("DELETE FROM ledger_treehead WHERE id = %s", [heads[-1].pk])
    problems, _ = audit_everything()
    assert any(p.what == "tree_head" and p.id == f"seq {heads[-1].seq}" and "anchor" in p.message
               for p in problems)
    assert not TreeHead.objects.filter(pk=heads[-1].pk).exists()

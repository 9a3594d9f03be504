"""The tables every new case writes carry no index that nothing reads: each one costs an entry per row on the
bulk paths (10,000 cases a batch). What reads them still finds an index."""

import pytest
from django.db import connection

from yunting.kernel.common.migration_ops import drop_pattern_indexes

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's indexes and planner")]

HOT = ["blobs_blob", "cases_case", "clocks_deadline", "efile_document", "efile_upload", "efile_uploadpart",
       "filing_filing", "filing_filingdocument", "journal_journalentry"]


def _indexes(table: str) -> list[str]:
    with connection.cursor() as c:
        c.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return [r[0] for r in c.fetchall()]


def test_no_pattern_indexes_on_the_tables_a_new_case_writes():
    kept = [d for t in HOT for d in _indexes(t) if "pattern_ops" in d]
    # the one prefix search left: an upload's subject (`filing:<id>` …)
    assert kept == [d for d in _indexes("efile_upload") if "pattern_ops" in d and "(subject " in d]


@pytest.mark.parametrize("sql", [
    "SELECT * FROM journal_journalentry WHERE case_id = 1 ORDER BY seq",
    "SELECT * FROM efile_document WHERE case_id = 1",
    "SELECT * FROM clocks_deadline WHERE court_id = 1 AND state = 'running' ORDER BY due",
    "SELECT * FROM cases_case WHERE court_id = 1",
    "SELECT * FROM filing_filing WHERE court_id = 1 AND status = 'submitted'",
    "SELECT * FROM efile_upload WHERE user_id = 1",
])
def test_the_reads_by_a_dropped_foreign_key_index_still_use_an_index(sql):
    with connection.cursor() as c:
        c.execute("SET LOCAL enable_seqscan = off")
        c.execute("EXPLAIN " + sql)
        plan = "\n".join(r[0] for r in c.fetchall())
    assert "Index" in plan and "Seq Scan" not in plan, plan


def test_dropping_and_restoring_the_pattern_indexes():
    from django.apps import apps

    op = drop_pattern_indexes("journal.JournalEntry", ["entry_hash"])
    with connection.schema_editor() as editor:
        op.reverse_code(apps, editor)
    assert any("entry_hash varchar_pattern_ops" in d for d in _indexes("journal_journalentry"))
    with connection.schema_editor() as editor:
        op.code(apps, editor)
    assert not any("pattern_ops" in d for d in _indexes("journal_journalentry"))

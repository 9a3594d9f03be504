"""Write-behind (PostgreSQL): a bulk path's writes run on a writer thread while its caller builds the next rows.
The caller must see exactly what it would without it: its own writes in its reads, in order, and every failure
of a queued statement, before anything can be committed."""

import time

import psycopg
import pytest
from django.db import connection, transaction

from yunting.kernel.common import rawsql

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the write-behind is PostgreSQL's")]


@pytest.fixture
def table():
    with connection.cursor() as c:
        c.execute("CREATE TEMP TABLE wb_rows (id int PRIMARY KEY, n int NOT NULL)")
    return "wb_rows"


def _count(table) -> int:
    with connection.cursor() as c:  # Django's own cursor: waits for the queue first
        c.execute(f"SELECT count(*), coalesce(sum(n), 0) FROM {table}")
        return c.fetchone()


def test_queued_writes_are_seen_by_every_later_read_in_order(table):
    with transaction.atomic(), rawsql.write_behind() as wb:
        assert wb is not None
        with rawsql.cursor() as c:
            for i in range(200):
                c.execute(f"INSERT INTO {table} (id, n) VALUES (%s, %s)", [i, i])
            c.execute(f"UPDATE {table} SET n = n + 1 WHERE id < 100")
            assert c.copy_in(table, ["id", "n"], [[1000 + i, 1] for i in range(50)])
        assert _count(table) == (250, sum(range(200)) + 100 + 50)
        with rawsql.cursor() as c:  # a raw read waits as well
            c.execute(f"DELETE FROM {table} WHERE id >= 1000")
            assert c.execute(f"SELECT count(*) FROM {table}").fetchone() == (200,)
        assert wb.waits >= 2
    assert _count(table) == (200, sum(range(200)) + 100)


def test_a_failed_queued_statement_is_raised_and_rolls_its_block_back(table):
    with connection.cursor() as c:
        c.execute(f"INSERT INTO {table} (id, n) VALUES (1, 1)")
    with pytest.raises(psycopg.errors.UniqueViolation):
        with transaction.atomic(), rawsql.write_behind():
            with rawsql.cursor() as c:
                c.execute(f"INSERT INTO {table} (id, n) VALUES (2, 2)")
                c.execute(f"INSERT INTO {table} (id, n) VALUES (1, 1)")  # the duplicate: fails on the writer
                c.execute(f"INSERT INTO {table} (id, n) VALUES (3, 3)")
    assert _count(table) == (1, 1)  # the savepoint undid row 2; row 3 never ran


def test_a_swallowed_failure_is_raised_again_so_the_block_cannot_commit(table):
    with pytest.raises(psycopg.errors.UniqueViolation):
        with transaction.atomic(), rawsql.write_behind():
            with rawsql.cursor() as c:
                c.execute(f"INSERT INTO {table} (id, n) VALUES (1, 1), (1, 1)")
            try:  # a best-effort recorder that logs and goes on
                _count(table)
            except psycopg.Error:
                pass
            with rawsql.cursor() as c:
                c.execute(f"INSERT INTO {table} (id, n) VALUES (5, 5)")
    assert _count(table) == (0, 0)


def test_a_nested_atomic_inside_the_block_keeps_its_savepoint_semantics(table):
    with transaction.atomic(), rawsql.write_behind():
        with rawsql.cursor() as c:
            c.execute(f"INSERT INTO {table} (id, n) VALUES (1, 1)")
        with pytest.raises(RuntimeError), transaction.atomic():
            with rawsql.cursor() as c:
                c.execute(f"INSERT INTO {table} (id, n) VALUES (2, 2)")
            raise RuntimeError("undo the inner block only")
        with transaction.atomic():
            with rawsql.cursor() as c:
                c.execute(f"INSERT INTO {table} (id, n) VALUES (3, 3)")
    assert _count(table) == (2, 4)


def test_foreign_keys_are_checked_as_each_statement_runs_then_deferred_again():
    with connection.cursor() as c:  # Django's kind of foreign key: checked at COMMIT, unless told otherwise
        c.execute("CREATE TEMP TABLE wb_parent (id int PRIMARY KEY)")
        c.execute("CREATE TEMP TABLE wb_child (parent_id int REFERENCES wb_parent DEFERRABLE INITIALLY DEFERRED)")
    orphan = "INSERT INTO wb_child (parent_id) VALUES (7)"
    with pytest.raises(psycopg.errors.ForeignKeyViolation), transaction.atomic(), rawsql.write_behind():
        with rawsql.cursor() as c:
            c.execute(orphan)  # fails on the writer, as it runs: the COMMIT has nothing left to check
    with transaction.atomic(), rawsql.write_behind():
        with rawsql.cursor() as c:
            c.execute("INSERT INTO wb_parent (id) VALUES (8)")
            c.execute("INSERT INTO wb_child (parent_id) VALUES (8)")
    with connection.cursor() as c:  # after the block, deferred again: a row may point ahead until the commit
        c.execute(orphan)
        c.execute("DELETE FROM wb_child WHERE parent_id = 7")
        c.execute("SELECT count(*) FROM wb_child")
        assert c.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_nothing_is_queued():
    with rawsql.write_behind() as wb:
        assert wb is None
        with rawsql.cursor() as c:
            assert c.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.django_db(transaction=True)  # closed for real (inside a test's transaction Django keeps the socket)
def test_the_side_connection_is_kept_with_the_connection_and_closed_with_it():
    """Sequence ids and unchanging rows are read on a second, autocommit connection: opened once for the driver's
    connection (a server process each time it was opened per block), and not left behind when that one closes."""
    def side_pid():
        with transaction.atomic(), rawsql.write_behind() as wb:
            return wb.read_committed("SELECT pg_backend_pid()", [])[0][0]

    first = side_pid()
    assert side_pid() == first
    assert first != connection.cursor().connection.info.backend_pid  # beside the transaction, not in it
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as watcher:
        def alive() -> bool:
            return watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [first]).fetchone()[0] == 1

        assert alive()
        connection.close()
        for _ in range(50):  # the server notices the closed socket at once; give it a moment on a busy machine
            if not alive():
                break
            time.sleep(0.1)
        assert not alive()


def test_ids_reserved_for_several_tables_at_once_are_handed_out_in_order_then_taken_as_before():
    from yunting.core.journal.models import JournalEntry
    from yunting.workflows.filing.models import Filing, FilingEvent

    with transaction.atomic(), rawsql.write_behind() as wb:
        rawsql.reserve_ids({Filing: 3, FilingEvent: 2, JournalEntry: 0})
        filings = wb.next_ids(Filing._meta.db_table, "id", 2) + wb.next_ids(Filing._meta.db_table, "id", 1)
        events = wb.next_ids(FilingEvent._meta.db_table, "id", 2)
        more = wb.next_ids(FilingEvent._meta.db_table, "id", 2)  # none reserved left: from the sequence
    assert filings == sorted(filings) and len(set(filings)) == 3
    assert events == sorted(events) and len(set(events)) == 2
    assert len(set(more)) == 2 and min(more) > max(events)

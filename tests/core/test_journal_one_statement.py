"""On PostgreSQL an append is one statement: the case head bump, the chain hash (computed by the database), the
entry and its queued ledger leaf. These tests commit for real and check that the chain, the leaves and the
audit are exactly what the Python chain gives, also when many connections append to one case at once."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections

from yunting.core.journal.chain import GENESIS, chain_hash
from yunting.core.journal.ledger_glue import entry_leaf_input
from yunting.core.journal.models import JournalEntry
from yunting.core.journal.services import journal_append
from yunting.core.journal.verify import journal_verify_case
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.ledger import sequencer
from yunting.kernel.ledger.audit import ledger_audit

pytestmark = pytest.mark.django_db(transaction=True)
on_postgres = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                 reason="the one-statement append is PostgreSQL's path")


@pytest.fixture
def queued(settings):
    settings.LEDGER_SEQUENCER = "queued"
    settings.LEDGER_NUDGE = False


def test_each_entry_hashes_as_the_python_chain_and_its_leaf_commits_to_it(queued, make_case, users):
    case = make_case()
    payloads = [{"n": 1}, {"text": "证据目录 “二”", "list": [1, 2]}, {"seq": 0, "v": 1}]  # keys the body also has
    for payload in payloads:
        journal_append(case=case, kind="note.added", actor=users["clerk"], payload=payload)
    entries = list(JournalEntry.objects.filter(case=case).order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(payloads) + 2))
    prev = GENESIS
    for e in entries:
        assert e.prev_hash == prev
        prev = e.entry_hash
    case.refresh_from_db()
    assert (case.journal_length, case.journal_head) == (len(entries), prev)
    with connection.cursor() as c:
        c.execute("SELECT record_id, leaf_input FROM ledger_queue ORDER BY record_id")
        queued_leaves = {r: bytes(leaf) for r, leaf in c.fetchall()}
    assert queued_leaves == {e.pk: entry_leaf_input(e, case.number) for e in entries}
    assert journal_verify_case(case) == []
    sequencer.integrate_pending()
    assert ledger_audit()[0] == []


def test_the_returned_entry_is_complete(queued, make_case, users):
    case = make_case()
    entry = journal_append(case=case, kind="note.added", actor=users["clerk"], payload={"n": 1})
    stored = JournalEntry.objects.get(pk=entry.pk)
    assert (entry.seq, entry.prev_hash, entry.entry_hash) == (stored.seq, stored.prev_hash, stored.entry_hash)
    assert chain_hash(entry.prev_hash, entry.body) == entry.entry_hash
    assert case.journal_length == 2 and case.journal_head == entry.entry_hash


def test_an_append_to_a_missing_case_is_refused_and_writes_nothing(queued, make_case, users):
    case = make_case()
    case.pk = 999_999
    before = (JournalEntry.objects.count(), sequencer.queue_length()[0])
    with pytest.raises(ValidationFailed):
        journal_append(case=case, kind="note.added", actor=users["clerk"], payload={})
    assert (JournalEntry.objects.count(), sequencer.queue_length()[0]) == before


@on_postgres
def test_concurrent_appends_to_one_case_form_one_unbroken_chain(queued, make_case, users):
    case = make_case()
    errors: list[BaseException] = []

    def write(n):
        try:
            for i in range(10):
                journal_append(case=case, kind="note.added", actor=users["clerk"], payload={"w": n, "i": i})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = list(JournalEntry.objects.filter(case=case).order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, 62))
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:], strict=False))
    case.refresh_from_db()
    assert (case.journal_length, case.journal_head) == (61, entries[-1].entry_hash)
    assert journal_verify_case(case) == []
    sequencer.integrate_pending()
    assert ledger_audit()[0] == []


def _prepared_appends() -> int:
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["WITH o AS (SELECT id, journal_length%"])
        return c.fetchone()[0]


@on_postgres
def test_the_append_statement_is_prepared_once_per_connection(queued, make_case, settings):
    """PostgreSQL plans the append's six CTEs once per connection, not at every act (half its CPU per append);
    YUNTING_DB_PREPARED=0 (a pooler that cannot keep prepared statements) sends it unprepared, same rows."""
    case = make_case()
    connection.close()
    settings.YUNTING_DB_PREPARED = False
    journal_append(case=case, kind="note.added", payload={"n": 1})
    assert _prepared_appends() == 0
    settings.YUNTING_DB_PREPARED = True
    for n in range(3):
        journal_append(case=case, kind="note.added", payload={"n": n})
    assert _prepared_appends() == 1
    assert journal_verify_case(case) == []

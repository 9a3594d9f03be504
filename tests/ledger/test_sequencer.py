"""The ledger sequencer (queue-then-integrate): entries commit with a queued leaf and no ledger lock; a sequencer
under a lease gives each queued leaf exactly one index, in queue order, and issues the tree head.

These tests commit for real (transaction=True) and run the queued path on both databases; on PostgreSQL it is
the default. A process killed at every point between the sequencer's statements loses and doubles nothing."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from yunting.core.journal.services import EntryInput, journal_append, journal_append_many
from yunting.kernel import ledger
from yunting.kernel.ledger import merkle, sequencer, store
from yunting.kernel.ledger.audit import ledger_audit
from yunting.kernel.ledger.leaves import leaf_input_for
from yunting.kernel.ledger.services import ledger_submit_many
from yunting.kernel.ledger.store import NewLeaf

from .helpers import add_document

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queued(settings):
    """The queued path, with the nudge thread off: each test runs the sequencer itself, when it chooses."""
    settings.LEDGER_SEQUENCER = "queued"
    settings.LEDGER_NUDGE = False
    yield
    sequencer.DELAYS_MS.clear()


def _leaves(n, start=0):
    return [NewLeaf(leaf_input_for(kind="test.queued", time="2026-01-01T00:00:00.000000Z",
                                   commitment_hex=hashlib.sha256(f"q{i}".encode()).hexdigest(), documents=[]),
                    1000 + i) for i in range(start, start + n)]


def _queue_count() -> int:
    return sequencer.queue_length()[0]


def _record_ids() -> list[int]:
    with connection.cursor() as c:
        c.execute("SELECT record_id FROM ledger_leaf WHERE record_id IS NOT NULL ORDER BY idx")
        return [r[0] for r in c.fetchall()]


def test_entry_commits_with_a_queued_leaf_and_the_sequencer_integrates_it(queued, make_case, users):
    case = make_case()
    assert _queue_count() == 1 and ledger.ledger_size() == 0  # case.registered: queued, not yet in the log
    entry, pdf = add_document(case, users["lawyer"])
    assert _queue_count() == 2
    assert sequencer.integrate_pending() == 2
    assert _queue_count() == 0 and ledger.ledger_size() == 2
    index, leaf_input = ledger.ledger_leaf_for_record(entry.pk)
    sha = hashlib.sha256(pdf).hexdigest()
    proof = ledger.ledger_proof_by_document(sha, 2)
    assert proof.leaf_index == index == 1
    assert merkle.verify_inclusion(merkle.leaf_hash(leaf_input), index, 2, proof.audit_path, ledger.ledger_root(2))
    assert ledger_audit()[0] == []


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL's locks")
def test_the_writer_takes_no_ledger_lock_and_waits_for_no_sequencer(queued, make_case, users):
    """While a sequencer holds the lease (mid-batch), another connection still appends and commits entries."""
    case = make_case()
    sequencer.integrate_pending()
    held, release, done = threading.Event(), threading.Event(), []

    def hold_lease():
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("SELECT pg_advisory_xact_lock(%s)", [store.ADVISORY_LOCK_ID])
            held.set()
            release.wait(30)
        connections.close_all()

    t = threading.Thread(target=hold_lease)
    t.start()
    try:
        assert held.wait(10)
        with transaction.atomic():
            journal_append(case=case, kind="note.added", actor=users["clerk"], payload={"n": 1})
            with connection.cursor() as c:
                c.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
                assert c.fetchone()[0] == 0  # no ledger lock in the writer's transaction
        done.append(True)
        assert sequencer.integrate_batch() is None  # the lease is taken: a second sequencer stands aside
    finally:
        release.set()
        t.join()
    assert done and _queue_count() == 1
    assert sequencer.integrate_pending() == 1 and _queue_count() == 0


def test_batches_integrate_in_queue_order_and_give_the_same_tree_as_appending_inline(queued, settings):
    items = _leaves(37)
    for start in range(0, 37, 5):  # queued by several transactions
        with transaction.atomic():
            ledger_submit_many(items[start:start + 5])
    total = 0
    while n := sequencer.integrate_batch(batch=6):  # odd batch sizes cross every subtree boundary
        total += n
    assert total == 37 and _record_ids() == [1000 + i for i in range(37)]
    hashes = [merkle.leaf_hash(x.leaf_input) for x in items]
    for size in (1, 2, 6, 7, 16, 37):
        assert ledger.ledger_root(size) == merkle.root_from_leaves(hashes[:size])
    for i in (0, 5, 31, 36):
        p = ledger.ledger_inclusion_proof(i, 37)
        assert merkle.verify_inclusion(hashes[i], i, 37, p.audit_path, ledger.ledger_root(37))
    assert ledger_audit()[0] == []


def test_a_tree_head_integrates_what_is_queued_first(queued):
    with transaction.atomic():
        sequencer.enqueue_many(_leaves(3))
    head = ledger.ledger_sth_current()
    assert head.tree_size == 3 and _queue_count() == 0


def test_a_rolled_back_entry_queues_nothing(queued, make_case, users):
    case = make_case()
    before = _queue_count()
    with pytest.raises(RuntimeError), transaction.atomic():
        journal_append(case=case, kind="note.added", actor=users["clerk"])
        raise RuntimeError("the act failed after its entry")
    assert _queue_count() == before


def test_bulk_appends_queue_one_leaf_per_entry_in_order(queued, make_case, users):
    cases = [make_case() for _ in range(3)]
    sequencer.integrate_pending()
    entries = journal_append_many([EntryInput(cases[i % 3], "note.added", users["clerk"], {"i": i}) for i in range(10)])
    assert _queue_count() == 10
    sequencer.integrate_pending()
    assert _record_ids()[-10:] == [e.pk for e in entries]
    assert ledger_audit()[0] == []


def test_the_after_commit_nudge_integrates_within_the_merge_delay(settings, make_case, users):
    settings.LEDGER_SEQUENCER = "queued"
    settings.LEDGER_NUDGE = True
    import time

    case = make_case()
    entry = journal_append(case=case, kind="note.added", actor=users["clerk"])
    deadline = time.monotonic() + sequencer.mmd_s()
    while time.monotonic() < deadline and ledger.ledger_leaf_for_record(entry.pk) is None:
        time.sleep(0.02)
    assert ledger.ledger_leaf_for_record(entry.pk) is not None
    assert _queue_count() == 0


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="the presence lock is PostgreSQL's (SQLite appends inline)")
def test_a_dedicated_sequencer_integrates_while_the_nudges_stand_down(settings, make_case, users):
    """`yunting serve`'s master (or `yunting ledger sequence --every`) integrates every tick and holds the
    presence lock; the writers' nudge threads see it and leave the work to it; stopped, the nudges take over."""
    import time

    settings.LEDGER_SEQUENCER = "queued"
    settings.LEDGER_NUDGE = True
    case = make_case()
    stop, integrated = threading.Event(), []
    thread = threading.Thread(target=sequencer.run_dedicated, args=(stop,), kwargs={"report": integrated.append})
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not sequencer.dedicated_present() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sequencer.dedicated_present()
        sequencer._nudger.dedicated = (0.0, False)  # forget what the nudge saw before it started
        entries = [journal_append(case=case, kind="note.added", actor=users["clerk"], payload={"n": n})
                   for n in range(20)]
        deadline = time.monotonic() + sequencer.mmd_s()
        while time.monotonic() < deadline and ledger.ledger_leaf_for_record(entries[-1].pk) is None:
            time.sleep(0.02)
        assert all(ledger.ledger_leaf_for_record(e.pk) is not None for e in entries)
        assert sum(integrated) >= 20  # all of them by the dedicated sequencer: the nudge stood down
        assert sequencer._nudger.dedicated[1] is True
    finally:
        stop.set()
        thread.join(10)
    assert not sequencer.dedicated_present()  # its connection closed with it: the lock is gone
    time.sleep(sequencer.PRESENCE_CHECK_S)
    entry = journal_append(case=case, kind="note.added", actor=users["clerk"])
    deadline = time.monotonic() + sequencer.mmd_s()
    while time.monotonic() < deadline and ledger.ledger_leaf_for_record(entry.pk) is None:
        time.sleep(0.02)
    assert ledger.ledger_leaf_for_record(entry.pk) is not None  # the nudge integrated it
    assert _queue_count() == 0 and ledger_audit()[0] == []


def test_audit_counts_a_queued_leaf_as_the_entrys_leaf(queued, make_case, users):
    from yunting.core.journal.ledger_glue import journal_ledger_audit

    case = make_case()
    journal_append(case=case, kind="note.added", actor=users["clerk"])
    assert _queue_count() == 2
    assert journal_ledger_audit() == []


def test_verify_page_and_cli_say_a_queued_document_is_being_written(queued, make_case, users, client, tmp_path,
                                                                     settings):
    from django.core.management import call_command

    settings.LEDGER_STH_MAX_AGE_S = 3600  # however slow the machine, the head stays fresh: nothing issues another
    case = make_case()
    ledger.ledger_sth_issue()  # a fresh tree head: the page has no reason to issue (and integrate) another
    _, pdf = add_document(case, users["lawyer"])
    sha = hashlib.sha256(pdf).hexdigest()
    page = client.get(f"/verify/?sha256={sha}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "已登记，正在写入账本（约" in text and "秒）" in text
    bundle = client.get(f"/verify/proof/{sha}.json")  # the offline proof: not yet, come back shortly
    assert bundle.status_code == 202 and bundle.json()["code"] == "ledger_queued"
    assert int(bundle["Retry-After"]) >= 1
    f = tmp_path / "doc.pdf"
    f.write_bytes(pdf)
    from io import StringIO

    out = StringIO()
    call_command("verify", str(f), stdout=out)
    assert "已登记，正在写入账本（约" in out.getvalue()
    # once integrated, the same page shows the proof
    sequencer.integrate_pending()
    done = client.get(f"/verify/?sha256={sha}").content.decode()
    assert "正在写入账本" not in done and "已记录于" in done


# --- kill -9 between the sequencer's statements ----------------------------------------------------------------


def _db_env() -> dict:
    s = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (f"postgres://{s['USER']}{':' + s['PASSWORD'] if s['PASSWORD'] else ''}@{s['HOST']}:"
                               f"{s['PORT'] or 5432}/{s['NAME']}")
    else:
        env["DATABASE_URL"] = f"sqlite:///{s['NAME']}"
    env["YUNTING_LEDGER_SEQUENCER"] = "queued"
    return env


def _sequence_process(pause_at: str) -> subprocess.Popen:
    env = {**_db_env(), "YUNTING_LEDGER_SEQUENCER_PAUSE_AT": pause_at}
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "ledger", "sequence"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("step", ["leased", "dequeued", "leaves", "nodes", "documents"])
def test_killing_the_sequencer_between_any_two_statements_loses_and_doubles_nothing(queued, step):
    docs = [hashlib.sha256(f"doc{i}".encode()).hexdigest() for i in range(9)]
    items = [NewLeaf(leaf_input_for(kind="test.queued", time="2026-01-01T00:00:00.000000Z",
                                    commitment_hex=hashlib.sha256(f"k{i}".encode()).hexdigest(), documents=[docs[i]]),
                     2000 + i, (docs[i],)) for i in range(9)]
    with transaction.atomic():
        sequencer.enqueue_many(items[:3])
    sequencer.integrate_pending()  # 3 leaves in: the next batch of 6 completes subtrees (nodes are written)
    with transaction.atomic():
        sequencer.enqueue_many(items[3:])
    connections.close_all()  # SQLite: let the child take the write lock
    proc = _sequence_process(step)
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"PAUSED {step}", proc.stderr.read() if proc.poll() is not None else line
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    # whatever the killed process did is gone with its transaction: the queue still holds the batch
    assert ledger.ledger_size() == 3 and _queue_count() == 6
    assert sequencer.integrate_pending() == 6
    assert _record_ids() == [2000 + i for i in range(9)]  # each exactly once, in queue order
    assert ledger_audit()[0] == []
    for i, d in enumerate(docs):
        assert ledger.ledger_proof_by_document(d, 9).leaf_index == i

"""On PostgreSQL a batch is filed on a thread of its own while the next chunk's documents are stored, and 一键立案
hands its writes to a write-behind writer: the same filings, cases and failures as one step after the other,
on a real committed database."""

import json
import threading

import pytest
from django.db import connection  # noqa: F401  (the skipif condition reads it)

from yunting.core.cases.models import Case
from yunting.core.journal.models import JournalEntry
from yunting.workflows.filing import acceptance, batches
from yunting.workflows.filing.acceptance import filing_accept_batch
from yunting.workflows.filing.batches import batch_create, batch_process, institution_key_create
from yunting.workflows.filing.choices import BatchStatus, FilingStatus
from yunting.workflows.filing.models import Filing, FilingBatch

from .test_batches import body, loan

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's overlapped writes")]


@pytest.fixture
def key(cast, monkeypatch):
    monkeypatch.setattr(batches, "_enqueue", lambda batch_id: None)  # processed here, by the test, on commit
    orgs, _ = cast
    return institution_key_create(institution=orgs["bank"], court=orgs["court"])[0]


def test_a_batch_is_filed_on_its_own_thread_in_order_and_resumes_after_a_crash(key, monkeypatch):
    real = batches._finish_chunk
    threads, calls = set(), {"n": 0}

    def crash_on_third(*args, **kwargs):
        calls["n"] += 1
        threads.add(threading.current_thread().name)
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    batch = batch_create(key=key, body=body(n=120, bad={}, garbage_line=False))
    monkeypatch.setattr(batches, "_finish_chunk", crash_on_third)
    batch = batch_process(batch_id=batch.pk, chunk=25)
    assert batch.status == BatchStatus.FAILED and batch.processed_lines == 50
    assert all(name.startswith("batch-filer") for name in threads)
    monkeypatch.setattr(batches, "_finish_chunk", real)
    FilingBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.PROCESSING)
    batch = batch_process(batch_id=batch.pk, chunk=25)
    assert (batch.status, batch.processed_lines, batch.filed, batch.duplicates) == (BatchStatus.DONE, 120, 120, 0)
    lines = sorted(Filing.objects.filter(batch=batch).values_list("payload__batch_line", flat=True))
    assert lines == list(range(1, 121))


def test_one_click_reports_a_filing_decided_meanwhile_and_accepts_the_rest(key, cast, monkeypatch):
    orgs, users = cast
    batch = batch_process(batch_id=batch_create(key=key, body=body(n=60, bad={}, garbage_line=False)).pk)
    assert batch.filed == 60
    victim = Filing.objects.filter(batch=batch).order_by("deadline", "id")[10]
    real = acceptance._read_chunk

    def decided_behind_its_back(ids, shared):
        read = real(ids, shared)  # read as submitted; then decided in the database under the reader's feet
        Filing.objects.filter(pk=victim.pk).update(status=FilingStatus.WITHDRAWN)
        return read

    monkeypatch.setattr(acceptance, "_read_chunk", decided_behind_its_back)
    result = filing_accept_batch(actor=users["filing_officer"], court=orgs["court"], batch=batch, chunk=25)
    assert result["accepted"] == 59
    assert [f["filing_id"] for f in result["failed"]] == [victim.pk]
    assert Case.objects.count() == 59
    assert Filing.objects.filter(batch=batch, status=FilingStatus.ACCEPTED).count() == 59
    numbers = sorted(Case.objects.values_list("sequence", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 59))  # no number lost to the rolled-back attempt
    assert JournalEntry.objects.filter(kind="case.registered").count() == 59


def test_two_officers_clicking_one_click_at_once_open_each_case_once(key, cast):
    from django.db import connections

    orgs, users = cast
    batch = batch_process(batch_id=batch_create(key=key, body=body(n=90, bad={}, garbage_line=False)).pk)
    barrier, outcomes = threading.Barrier(2), []

    def click(username):
        try:
            barrier.wait()
            outcomes.append(filing_accept_batch(actor=users[username], court=orgs["court"], batch=batch, chunk=20))
        except Exception as exc:  # reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    officers = [threading.Thread(target=click, args=(u,)) for u in ("filing_officer", "court_admin")]
    for t in officers:
        t.start()
    for t in officers:
        t.join()
    assert all(isinstance(o, dict) and not o["failed"] for o in outcomes), outcomes
    assert sum(o["accepted"] for o in outcomes) == 90
    assert Case.objects.count() == 90
    numbers = sorted(Case.objects.values_list("sequence", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 90))


def test_a_case_opened_meanwhile_puts_the_one_click_chunk_after_it_and_still_in_order(key, cast, monkeypatch):
    """Each chunk numbers on from the chunk in front before that one commits; a filing accepted by another officer
    in between moves the counter, so the chunk that foresaw it is redone after it: no number twice, none lost,
    and the batch's cases still numbered in the order the chunks took them."""
    from django.db import connections

    from yunting.workflows.filing.acceptance import filing_accept

    orgs, users = cast
    batch = batch_process(batch_id=batch_create(key=key, body=body(n=50, bad={}, garbage_line=False)).pk)
    lone = (json.dumps(loan(900), ensure_ascii=False) + "\n").encode()
    other = batch_process(batch_id=batch_create(key=key, body=lone).pk)
    intruder = Filing.objects.get(batch=other)
    real, reads = acceptance._read_chunk, {"n": 0}

    def another_officer_accepts_one(ids, shared):
        reads["n"] += 1
        if reads["n"] == 3:
            def accept():
                try:
                    filing_accept(filing=Filing.objects.get(pk=intruder.pk), actor=users["court_admin"], notify=False)
                finally:
                    connections.close_all()

            t = threading.Thread(target=accept)
            t.start()
            t.join()
        return real(ids, shared)

    real_accept, one_by_one = acceptance._accept_many, []

    def accept_many(filings, **kwargs):
        if len(filings) == 1 and filings[0].pk != intruder.pk:
            one_by_one.append(filings[0].pk)
        return real_accept(filings, **kwargs)

    monkeypatch.setattr(acceptance, "_read_chunk", another_officer_accepts_one)
    monkeypatch.setattr(acceptance, "_accept_many", accept_many)
    result = filing_accept_batch(actor=users["filing_officer"], court=orgs["court"], batch=batch, chunk=10)
    assert (result["accepted"], result["failed"]) == (50, [])
    assert len(one_by_one) == 10  # only the chunk that foresaw the moved counter was redone, and no chunk after it
    numbers = sorted(Case.objects.values_list("sequence", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 51))  # the batch's 50 and the intruder's one
    in_order = [f.case.sequence for f in Filing.objects.filter(batch=batch).select_related("case")
                .order_by("deadline", "id")]
    assert in_order == sorted(in_order)
    assert Filing.objects.get(pk=intruder.pk).status == FilingStatus.ACCEPTED

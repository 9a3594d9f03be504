"""Exactly one leaf per committed entry across repeated kill -9 (issue 18): `python bench/bench_sequencer_kill.py`
(YUNTING_BENCH_PG, YUNTING_BENCH_KILL_RUNS=50) prints one JSON line.

Each run forks 3 writer processes (journal_append in a loop, each entry its own transaction, the after-commit
nudge on, so writers sequence too) and one sequencer process (the loop of `yunting ledger sequence --every
0.05`), waits a random 0.3–1.2 s, then SIGKILLs one of them at random (a writer mid-transaction or mid-batch,
or the sequencer mid-batch), then the rest 0–0.2 s later. After all
runs the queue is drained once and every committed entry must have exactly one leaf; the log is audited.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django  # noqa: E402

PG_URL = os.environ.get("YUNTING_BENCH_PG", "postgres://postgres@127.0.0.1:5432/yunting_bench_kill")
RUNS = int(os.environ.get("YUNTING_BENCH_KILL_RUNS", "50"))


def _writer(case_ids: list[int]) -> None:
    from yunting.core.cases.models import Case
    from yunting.core.journal.services import journal_append

    cases = list(Case.objects.filter(pk__in=case_ids))
    i = 0
    while True:
        journal_append(case=cases[i % len(cases)], kind="note.added", payload={"i": i})
        i += 1


def _sequencer() -> None:
    """What `yunting ledger sequence --every 0.05` runs (the dedicated sequencer, presence lock held; killed, it
    hands back to the writers' nudges), plus a tree head after each batch so signing is killed mid-way too."""
    import threading

    from yunting.kernel.ledger import sequencer
    from yunting.kernel.ledger.services import ledger_sth_current

    sequencer.run_dedicated(threading.Event(), tick=0.05, report=lambda n: ledger_sth_current(max_age_s=0))


def main() -> dict:
    setup_django(PG_URL)
    from django.db import connection, connections

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open_many
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.kernel.ledger import sequencer
    from yunting.kernel.ledger.audit import ledger_audit

    orgs, _ = cast_ensure(password="bench-password-1")
    ct, cause = CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷")
    cases = case_open_many(items=[CaseInput(court=orgs["court"], case_type=ct, cause=cause, parties=[
        PartyInput(role="plaintiff", kind="natural", name=f"原告{i}"),
        PartyInput(role="defendant", kind="natural", name=f"被告{i}")]) for i in range(9)])
    connections.close_all()
    import multiprocessing

    from django.conf import settings

    settings.LEDGER_SEQUENCER = "queued"
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(18)
    killed = {"writer": 0, "sequencer": 0}
    start = time.perf_counter()
    for _run in range(RUNS):
        connections.close_all()  # no connection crosses the fork: each child opens its own
        writers = [ctx.Process(target=_writer, args=([c.pk for c in cases[w * 3:w * 3 + 3]],)) for w in range(3)]
        seq = ctx.Process(target=_sequencer)
        for p in [*writers, seq]:
            p.start()
        time.sleep(rng.uniform(0.3, 1.2))
        victim = rng.choice([*writers, seq])
        killed["sequencer" if victim is seq else "writer"] += 1
        os.kill(victim.pid, signal.SIGKILL)
        time.sleep(rng.uniform(0.0, 0.2))
        for p in [*writers, seq]:
            if p.is_alive():
                os.kill(p.pid, signal.SIGKILL)
            p.join()
    elapsed = time.perf_counter() - start
    left = sequencer.queue_length()[0]
    sequencer.integrate_pending(wait=True)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM journal_journalentry")
        entries = c.fetchone()[0]
        c.execute("SELECT count(*), count(DISTINCT record_id) FROM ledger_leaf WHERE record_id IS NOT NULL")
        leaves, distinct = c.fetchone()
        c.execute("SELECT count(*) FROM journal_journalentry e WHERE NOT EXISTS"
                  " (SELECT 1 FROM ledger_leaf l WHERE l.record_id = e.id)")
        lost = c.fetchone()[0]
    return {"database": "postgresql", "machine": machine(), "runs": RUNS, "killed": killed,
            "seconds": round(elapsed, 1), "journal_entries": entries, "leaves": leaves,
            "queued_at_the_end_of_the_kills": left, "lost": lost, "duplicated": leaves - distinct,
            "audit_problems": len(ledger_audit()[0])}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))

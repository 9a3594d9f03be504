"""The journal on PostgreSQL under concurrent writers (issue 18), each figure beside its baselines from the same run.

For 1 and 16 writer processes (each on its own cases, one `journal_append` per committed transaction, for a fixed
time):
- raw: psycopg, one INSERT of a comparable row per commit (what PostgreSQL itself can do here);
- journal without any ledger work on the append path (the ledger recorder unregistered);
- journal as deployed (ledger queued in the same statement; the dedicated sequencer of `yunting serve`'s master
  process, or `yunting ledger sequence --every 0.25`, integrating every tick in a process of its own, so the
  writers' nudges stand down — its CPU is on the same two cores);
- journal with the nudges only (no dedicated sequencer: each writer process's nudge thread integrates);
- journal with the leaf appended inline under the ledger lock (the design before issue 18, for comparison).
The commit-to-inclusion delay is measured for every leaf the sequencers integrated (queued_ms → commit).

`python bench/bench_scale.py` (YUNTING_BENCH_PG, YUNTING_BENCH_SECONDS=6, YUNTING_BENCH_WRITERS=1,16) prints one
JSON line.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django  # noqa: E402

PG_URL = os.environ.get("YUNTING_BENCH_PG", "postgres://postgres@127.0.0.1:5432/yunting_bench_scale")
SECONDS = float(os.environ.get("YUNTING_BENCH_SECONDS", "6"))
WRITERS = [int(x) for x in os.environ.get("YUNTING_BENCH_WRITERS", "1,16").split(",")]
CASES_PER_WRITER = 4


def _raw_worker(seconds: float, start_at: float, q) -> None:
    import psycopg

    with psycopg.connect(PG_URL) as conn:
        n = 0
        while time.time() < start_at:
            time.sleep(0.001)
        end = time.time() + seconds
        while time.time() < end:
            conn.execute("INSERT INTO raw_bench (case_id, kind, payload, recorded_at) VALUES (%s, %s, %s, now())",
                         [n % 4, "evidence.submitted", json.dumps({"item": n, "title": "银行转账记录", "pages": 3})])
            conn.commit()
            n += 1
    q.put((n, []))


def _journal_worker(mode: str, case_ids: list[int], seconds: float, start_at: float, q) -> None:
    from django.conf import settings
    from django.db import connections

    from yunting.core.cases.models import Case
    from yunting.core.journal import registry
    from yunting.core.journal.services import journal_append
    from yunting.kernel.ledger import sequencer

    if mode == "none":
        registry._recorders.pop("ledger", None)
        registry._rows.pop("ledger", None)
    else:
        settings.LEDGER_SEQUENCER = mode
    cases = list(Case.objects.filter(pk__in=case_ids))
    sequencer.DELAYS_MS.clear()  # not the parent's
    n = 0
    while time.time() < start_at:
        time.sleep(0.001)
    end = time.time() + seconds
    while time.time() < end:
        journal_append(case=cases[n % len(cases)], kind="evidence.submitted",
                       payload={"item": n, "title": "银行转账记录", "pages": 3})
        n += 1
    if mode == "queued":  # let the sequencers finish: every leaf's delay is counted where it was integrated
        deadline = time.time() + 20
        while sequencer.queue_length()[0] and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
    connections.close_all()
    q.put((n, list(sequencer.DELAYS_MS)))


def _dedicated(stop_at: float, q) -> None:
    """The dedicated sequencer, as `yunting serve`'s master runs it, until the writers are done and drained."""
    import threading

    from django.db import connections

    from yunting.kernel.ledger import sequencer

    sequencer.DELAYS_MS.clear()
    stop = threading.Event()
    threading.Thread(target=sequencer.run_dedicated, args=(stop,), daemon=True).start()
    while time.time() < stop_at or sequencer.queue_length()[0]:
        time.sleep(0.05)
    time.sleep(2 * sequencer.linger_s())
    stop.set()
    connections.close_all()
    q.put((0, list(sequencer.DELAYS_MS)))


def _run(target, args_of, writers: int, *, dedicated: bool = False) -> tuple[int, list[int]]:
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    start_at = time.time() + 1.0 + writers * 0.05
    ps = [ctx.Process(target=target, args=(*args_of(w), SECONDS, start_at, q)) for w in range(writers)]
    if dedicated:
        ps.append(ctx.Process(target=_dedicated, args=(start_at + SECONDS + 0.5, q)))
    for p in ps:
        p.start()
    results = [q.get(timeout=SECONDS + 120) for _ in ps]
    for p in ps:
        p.join()
    return sum(r[0] for r in results), [d for r in results for d in r[1]]


def _pct(values: list[int], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return float(values[min(len(values) - 1, int(p / 100 * len(values)))])


def main() -> dict:
    setup_django(PG_URL)
    from django.db import connection

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open_many
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.kernel.ledger import sequencer
    from yunting.kernel.ledger.audit import ledger_audit
    from yunting.kernel.ledger.services import ledger_sth_issue

    orgs, _users = cast_ensure(password="bench-password-1")
    ct, cause = CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷")
    most = max(WRITERS)
    cases = case_open_many(items=[CaseInput(court=orgs["court"], case_type=ct, cause=cause, parties=[
        PartyInput(role="plaintiff", kind="natural", name=f"原告{i}"),
        PartyInput(role="defendant", kind="natural", name=f"被告{i}")]) for i in range(most * CASES_PER_WRITER)])
    ids = [c.pk for c in cases]
    ledger_sth_issue()
    with connection.cursor() as c:
        c.execute("CREATE TABLE raw_bench (id bigserial PRIMARY KEY, case_id int, kind varchar(64), payload jsonb,"
                  " recorded_at timestamptz)")
    out: dict = {"database": "postgresql", "machine": machine(), "seconds_per_run": SECONDS,
                 "load_before": round(os.getloadavg()[0], 2)}
    delays: list[int] = []
    for writers in WRITERS:
        def own(w):
            return (ids[w * CASES_PER_WRITER:(w + 1) * CASES_PER_WRITER],)

        n, _ = _run(_raw_worker, lambda w: (), writers)
        out[f"raw_insert_commits_per_s_{writers}"] = round(n / SECONDS, 1)
        n, _ = _run(_journal_worker, lambda w: ("none", *own(w)), writers)
        out[f"journal_no_ledger_per_s_{writers}"] = round(n / SECONDS, 1)
        with connection.cursor() as c:
            c.execute("SELECT coalesce(max(id), 0) FROM journal_journalentry")
            lo = c.fetchone()[0]
        n, d = _run(_journal_worker, lambda w: ("queued", *own(w)), writers, dedicated=True)
        out[f"journal_as_deployed_per_s_{writers}"] = round(n / SECONDS, 1)
        sequencer.integrate_pending(wait=True)
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM journal_journalentry WHERE id > %s", [lo])
            entries = c.fetchone()[0]
            c.execute("SELECT count(*), count(DISTINCT record_id) FROM ledger_leaf WHERE record_id > %s", [lo])
            leaves, distinct = c.fetchone()
        out[f"queued_run_{writers}_entries_leaves_distinct"] = [entries, leaves, distinct]
        lost_or_dup = out.get("lost_or_duplicated_leaves", 0) + (entries - distinct) + (leaves - distinct)
        out["lost_or_duplicated_leaves"] = lost_or_dup
        if writers == most:
            delays = d
            n, _ = _run(_journal_worker, lambda w: ("queued", *own(w)), writers)
            out[f"journal_nudges_only_per_s_{writers}"] = round(n / SECONDS, 1)
            sequencer.integrate_pending(wait=True)
            n, _ = _run(_journal_worker, lambda w: ("inline", *own(w)), writers)
            out[f"journal_inline_ledger_lock_per_s_{writers}"] = round(n / SECONDS, 1)
    sequencer.integrate_pending(wait=True)
    deployed, single = out[f"journal_as_deployed_per_s_{most}"], out[f"journal_as_deployed_per_s_{min(WRITERS)}"]
    out["ratio_deployed_to_no_ledger"] = round(deployed / out[f"journal_no_ledger_per_s_{most}"], 2)
    out["ratio_deployed_to_single_writer"] = round(deployed / single, 2)
    out["ratio_deployed_to_raw"] = round(deployed / out[f"raw_insert_commits_per_s_{most}"], 3)
    out["inclusion_delay_ms_p50"] = _pct(delays, 50)
    out["inclusion_delay_ms_p99"] = _pct(delays, 99)
    out["inclusion_delay_ms_max"] = _pct(delays, 100)
    out["inclusion_delay_leaves_measured"] = len(delays)
    out["inclusion_delay_ms_mean"] = round(statistics.mean(delays), 1) if delays else 0
    out["audit_problems"] = len(ledger_audit()[0])
    out["load_after"] = round(os.getloadavg()[0], 2)
    return out


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))

"""Journal appends per second (single writer) and case-number allocation under contention.

Run one database per process: `python bench/bench_journal.py [sqlite|postgres]` prints one JSON line.
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django, timer  # noqa: E402

APPENDS = 3000
ROUNDS = 5
CASES = 20
ALLOCATIONS = 400


def _open_case(court, case_type, cause, n: int):
    from yunting.core.cases.services import CaseInput, PartyInput, case_open

    return case_open(data=CaseInput(
        court=court, case_type=case_type, cause=cause,
        parties=[PartyInput(role="plaintiff", kind="natural", name=f"原告{n}"),
                 PartyInput(role="defendant", kind="natural", name=f"被告{n}")],
    ))


def _context():
    from yunting.core.cases.models import CaseType, Cause
    from yunting.interfaces.cli.cast import cast_ensure

    orgs, users = cast_ensure(password="bench-password-1")
    return orgs["court"], CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷"), users


def _append_rates(cases, actor) -> list[float]:
    from yunting.core.journal.services import journal_append

    rates = []
    for _round in range(ROUNDS):  # several rounds: a shared 2-core machine makes single runs noisy
        with timer() as t:
            for i in range(APPENDS):
                journal_append(case=cases[i % CASES], kind="evidence.submitted", actor=actor,
                               payload={"item": i, "title": "银行转账记录", "pages": 3})
        rates.append(APPENDS / t["s"])
    return rates


def bench_appends(court, case_type, cause, users) -> dict:
    """As deployed (hash chain + e-file recorder + ledger leaf in the same transaction), then without the ledger
    recorder, to show what the transparency log adds to each append."""
    from yunting.core.journal import registry

    cases = [_open_case(court, case_type, cause, i) for i in range(CASES)]
    full = _append_rates(cases, users["clerk"])
    ledger, ledger_many = registry._recorders.pop("ledger")
    try:
        alone = _append_rates(cases, users["clerk"])
    finally:
        registry.register_recorder("ledger", ledger, many=ledger_many)
    return {"journal_appends": APPENDS * ROUNDS * 2,
            "journal_appends_per_s": round(max(full), 1),
            "journal_appends_per_s_median": round(statistics.median(full), 1),
            "journal_only_appends_per_s": round(max(alone), 1),
            "journal_only_appends_per_s_median": round(statistics.median(alone), 1)}


def _alloc_worker(n: int, court_id: int, out) -> None:
    from django.db import connections, transaction

    from yunting.core.cases.services import case_number_allocate
    from yunting.core.people.models import Organisation

    code = Organisation.objects.get(pk=court_id).court_code
    got = []
    for _ in range(n):
        with transaction.atomic():
            got.append(case_number_allocate(year=2026, court_code=code, type_code="执"))
    connections.close_all()
    out.extend(got) if isinstance(out, list) else out.put(got)


def bench_allocation(court) -> dict:
    from django.db import connections

    results = {}
    for label, workers in (("threads", 8), ("processes", 4)):
        type_code = "执"
        from yunting.core.cases.models import CaseNumberSequence

        CaseNumberSequence.objects.filter(type_code=type_code).delete()
        connections.close_all()
        per = ALLOCATIONS // workers
        start = time.perf_counter()
        if label == "threads":
            out: list[int] = []
            ts = [threading.Thread(target=_alloc_worker, args=(per, court.pk, out)) for _ in range(workers)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            numbers = out
        else:
            ctx = multiprocessing.get_context("fork")
            q = ctx.Queue()
            ps = [ctx.Process(target=_alloc_worker, args=(per, court.pk, q)) for _ in range(workers)]
            for p in ps:
                p.start()
            numbers = [n for _ in ps for n in q.get(timeout=600)]
            for p in ps:
                p.join()
        elapsed = time.perf_counter() - start
        assert sorted(numbers) == list(range(1, per * workers + 1)), "allocation produced gaps or duplicates"
        results[f"allocations_per_s_{label}_{workers}"] = round(len(numbers) / elapsed, 1)
    # a whole case (number, parties, search index, journal entry) under contention, 4 threads
    numbers: list[int] = []
    from yunting.core.cases.models import CaseType, Cause

    case_type, cause = CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷")

    def open_many(k):
        from django.db import connections as conns

        for i in range(k):
            numbers.append(_open_case(court, case_type, cause, i).sequence)
        conns.close_all()

    start = time.perf_counter()
    ts = [threading.Thread(target=open_many, args=(50,)) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    results["cases_opened_per_s_4_threads"] = round(len(numbers) / (time.perf_counter() - start), 1)
    return results


def main(db: str) -> dict:
    from bench.common import pg_available

    if db == "postgres" and not pg_available():
        return {"database": "postgres", "skipped": "PostgreSQL not reachable on 127.0.0.1:5432"}
    vendor = setup_django("postgres://postgres@127.0.0.1:5432/yunting_bench" if db == "postgres" else None)
    court, case_type, cause, users = _context()
    result = {"database": vendor}
    result |= bench_appends(court, case_type, cause, users)
    result |= bench_allocation(court)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite"), ensure_ascii=False))

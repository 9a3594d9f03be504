"""Recompute every deadline of N open cases (default 100,000; target under 10 s) from their journals, and what the
clocks recorder adds to opening cases in bulk. `python bench/bench_clocks.py [sqlite|postgres] [N]` prints one
JSON line.

The cases are real (case_open_many: numbers, parties, journal, ledger leaves); a share of them carry the entries
clocks folds: service of the complaint (answer and evidence periods), fee notices (some paid), suspensions with
resumption, excluded intervals and approved extensions — so the recompute does the work it does in production.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, pg_available, setup_django, timer  # noqa: E402

CHUNK = 5000


def _inputs(court, case_type, cause, n: int, procedures=("simple", "ordinary", "small_claims")):
    from yunting.core.cases.services import CaseInput, PartyInput

    return [CaseInput(court=court, case_type=case_type, cause=cause, procedure=procedures[i % len(procedures)],
                      parties=[PartyInput(role="plaintiff", kind="natural", name=f"原告{i}"),
                               PartyInput(role="defendant", kind="natural", name=f"被告{i}")])
            for i in range(n)]


def _history(cases) -> list:
    from yunting.core.journal.services import EntryInput

    items = []
    for i, case in enumerate(cases):
        if i % 3 == 0:
            items.append(EntryInput(case, "service.completed", None, {
                "document_kind": "complaint", "served_on": "2026-11-20", "party_id": None, "foreign": False}))
        if i % 4 == 0:
            items.append(EntryInput(case, "fee.notice_issued", None, {
                "notice_id": i, "amount": "2300.00", "kind": "acceptance", "issued_on": "2026-11-18"}))
            if i % 8 == 0:
                items.append(EntryInput(case, "fee.paid", None, {
                    "notice_id": i, "amount": "2300.00", "paid_on": "2026-11-20", "reference": f"B{i}",
                    "channel": "bank"}))
        if i % 10 == 0:
            items.append(EntryInput(case, "case.suspended", None, {"on": "2026-11-21", "reason": "bench"}))
            items.append(EntryInput(case, "case.resumed", None, {"on": "2026-11-25"}))
        if i % 10 == 5:
            items.append(EntryInput(case, "case.period_excluded", None, {
                "kind": "appraisal", "start": "2026-11-21", "end": "2026-11-26"}))
        if i % 20 == 7:
            items.append(EntryInput(case, "case.extension_requested", None, {"months": 1, "reason": "bench"}))
            items.append(EntryInput(case, "case.extension_decided", None, {"approved": True, "months": 1,
                                                                             "reason": "bench"}))
    return items


def main(db: str, n: int) -> dict:
    url = "postgres://postgres@127.0.0.1:5432/yt_clocks_bench" if db == "postgres" else None
    if db == "postgres" and not pg_available():
        return {"database": db, "skipped": "PostgreSQL not reachable"}
    vendor = setup_django(url)
    from django.db import transaction

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import case_open_many
    from yunting.core.clocks.models import Deadline
    from yunting.core.clocks.services import clocks_recompute
    from yunting.core.journal import registry
    from yunting.core.journal.services import journal_append_many
    from yunting.interfaces.cli.cast import cast_ensure

    orgs, users = cast_ensure(password="bench-password-1")
    court, case_type, cause = orgs["court"], CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷")
    sample = 2000
    with timer() as with_rec:  # opening cases with the clocks recorder (the trial clock stored at once)
        with transaction.atomic():
            case_open_many(items=_inputs(court, case_type, cause, sample))
    saved = registry._recorders.pop("clocks")
    with timer() as without_rec:
        with transaction.atomic():
            case_open_many(items=_inputs(court, case_type, cause, sample))
    entries = 0
    with timer() as setup:  # the rest without the recorder: it is the recompute that is measured
        for start in range(2 * sample, n, CHUNK):
            with transaction.atomic():
                cases = case_open_many(items=_inputs(court, case_type, cause, min(CHUNK, n - start)))
                history = _history(cases)
                journal_append_many(history)
                entries += len(history)
    registry._recorders["clocks"] = saved
    Deadline.objects.all().delete()
    cpu = time.process_time()
    with timer() as recompute:  # from an empty index: every deadline computed and written
        rows = clocks_recompute()
    cpu_recompute = time.process_time() - cpu
    cpu = time.process_time()
    with timer() as again:  # the daily case: every deadline computed, only the changed ones written (none)
        clocks_recompute()
    cpu_again = time.process_time() - cpu
    per_state = dict(Deadline.objects.values_list("state").annotate(__import__("django").db.models.Count("id")))
    return {
        "database": vendor, "machine": machine(), "open_cases": n, "history_entries": entries,
        "deadlines_written": rows, "deadlines_by_state": per_state,
        "recompute_s": round(recompute["s"], 2), "deadlines_per_s": round(rows / recompute["s"]),
        "cases_per_s": round(n / recompute["s"]),
        "recompute_cpu_s": round(cpu_recompute, 2),
        "recompute_again_s": round(again["s"], 2), "recompute_again_cpu_s": round(cpu_again, 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "open_cases_per_s_with_clocks_recorder": round(sample / with_rec["s"]),
        "open_cases_per_s_without_clocks_recorder": round(sample / without_rec["s"]),
        "setup_s": round(setup["s"], 1),
    }


if __name__ == "__main__":
    db = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    print(json.dumps(main(db, n), ensure_ascii=False))

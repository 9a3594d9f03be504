"""Fees on the real code paths: an institution's 10,000 accepted cases each get a fee notice (row + journal entry
+ ledger leaf), the court's bank statement paying all of them is reconciled in one import (each line matched,
a payment row, the notice updated, a `fee.paid` entry with its ledger leaf), and the workbench's fee state is
read for 2,000 cases at a time (fee_states: three queries).

`YUNTING_BENCH_FEES=10000 python bench/bench_fees.py [sqlite|postgres]` prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, timer  # noqa: E402

N = int(os.environ.get("YUNTING_BENCH_FEES", "10000"))
PG_URL = os.environ.get("YUNTING_BENCH_PG", "postgres://postgres@127.0.0.1:5432/yunting_bench")
WORKBENCH = 2000


def main(db: str) -> dict:
    vendor = setup_django(PG_URL if db == "postgres" else None)
    from datetime import date
    from decimal import Decimal

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open_many
    from yunting.core.fees.selectors import fee_states
    from yunting.core.fees.services import fee_notice_issue, fee_statement_import
    from yunting.interfaces.cli.cast import cast_ensure

    orgs, users = cast_ensure(password="bench-pass-123")
    court, case_type, cause = orgs["court"], CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷")
    cases = []
    for start in range(0, N, 1000):
        cases += case_open_many(items=[
            CaseInput(court=court, case_type=case_type, cause=cause, claim_amount=Decimal("20000"),
                      parties=[PartyInput(role="plaintiff", kind="legal", name="深圳市宝安农商银行"),
                               PartyInput(role="defendant", kind="natural", name=f"借款人{i}")])
            for i in range(start, min(start + 1000, N))], actor=users["filing_officer"])
    with timer() as t_notices:
        notices = [fee_notice_issue(case=c, amount="250.00", issued_on=date(2026, 11, 20)) for c in cases]
    lines = "\n".join(f"{n.reference} 诉讼费,250.00,2026-11-2{i % 7 + 1}" for i, n in enumerate(notices))
    data = ("reference,amount,date\n" + lines + "\n").encode()
    with timer() as t_import:
        statement = fee_statement_import(court=court, actor=users["filing_officer"], data=data, filename="bench.csv")
    assert statement.matched_count == N, statement.matched_count
    ids = [c.pk for c in cases[:WORKBENCH]]
    samples = []
    for _ in range(30):
        start = time.perf_counter()
        states = fee_states(ids)
        samples.append((time.perf_counter() - start) * 1000)
    assert set(states.values()) == {"paid"}
    samples.sort()
    return {
        "database": vendor, "machine": machine(), "cases": N,
        "fee_notices_issued_per_s": round(N / t_notices["s"], 1),
        "statement_lines_reconciled_per_s": round(N / t_import["s"], 1),
        "statement_import_s": round(t_import["s"], 1),
        "fee_states_2000_cases_ms_median": round(statistics.median(samples), 1),
        "fee_states_2000_cases_ms_p95": round(samples[int(len(samples) * 0.95) - 1], 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite"), ensure_ascii=False))

"""Issue 10 (court's share): assignment by rule of 10,000 accepted cases in one action, and the judge's
workbench with 2,000 open cases, on the real code paths (cases_assign_auto: routing, weighted caseloads,
`case.assigned` entries with ledger leaves, participations, the lifecycle projection; the /court/work/ page
through Django's test client with a logged-in judge).

`python bench/bench_lifecycle.py [sqlite|postgres]` prints a Markdown table (both databases when PostgreSQL
runs and no argument is given).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import pg_available, setup_django, timer  # noqa: E402

N = int(os.environ.get("YUNTING_BENCH_ASSIGN", "10000"))
WORKBENCH = int(os.environ.get("YUNTING_BENCH_WORKBENCH", "2000"))
PG_URL = os.environ.get("YUNTING_BENCH_PG_COURT", "postgres://postgres@127.0.0.1:5432/yunting_bench_court")


def _open_cases(court, users, n: int, cause_name: str) -> list[int]:
    from django.db import transaction

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open_many

    case_type, cause = CaseType.objects.get(code="民初"), Cause.objects.get(name=cause_name, selectable=True)
    ids = []
    for start in range(0, n, 1000):
        items = [CaseInput(court=court, case_type=case_type, cause=cause, claim_amount=Decimal(50_000 + i),
                           parties=[PartyInput(role="plaintiff", kind="natural", name=f"原告{i}"),
                                    PartyInput(role="defendant", kind="natural", name=f"被告{i}")])
                 for i in range(start, min(n, start + 1000))]
        with transaction.atomic():
            ids += [c.pk for c in case_open_many(items=items, actor=users["filing_officer"])]
    return ids


def run(db: str) -> dict:
    vendor = setup_django(PG_URL if db == "postgres" else None)
    from django.test import Client

    from yunting.core.cases.models import Cause
    from yunting.core.courts import services as svc
    from yunting.core.people.models import User
    from yunting.interfaces.cli.cast import cast_ensure

    orgs, users = cast_ensure(password="bench-pass-123")
    court, admin = orgs["court"], users["court_admin"]
    divisions = [svc.division_create(court=court, actor=admin, name=f"民{i}庭", default_procedure="simple")
                 for i in range(1, 4)]
    for d, division in enumerate(divisions):
        for j in range(10):
            user = User.objects.create(username=f"bj{d}_{j}", real_name=f"法官{d}{j}")
            svc.staff_post_set(court=court, actor=admin, user=user, role="judge", division=division,
                               weight="0.5" if j == 0 else "1")
    svc.recusal_add(court=court, actor=admin, user=User.objects.get(username="bj0_3"), kind="relative",
                    name="原告17")
    svc.settings_update(court=court, actor=admin, default_division=divisions[0])
    svc.cause_route_set(court=court, actor=admin, cause=Cause.objects.get(name="民间借贷纠纷", selectable=True),
                        division=divisions[1])
    ids = _open_cases(court, users, N, "民间借贷纠纷") + []
    ids2 = _open_cases(court, users, N // 2, "买卖合同纠纷")
    cpu = time.process_time()
    with timer() as t:
        results = svc.cases_assign_auto(case_ids=ids, actor=users["filing_officer"])
    cpu = time.process_time() - cpu
    assert sum(r.assigned for r in results) == len(ids)
    with timer() as t2:
        for start in range(0, len(ids2), 500):
            svc.cases_assign_auto(case_ids=ids2[start:start + 500], actor=users["filing_officer"])

    # the workbench: one judge alone in a team, 2,000 open cases
    team = svc.division_create(court=court, actor=admin, name="专审团队")
    solo = User.objects.create(username="solo", real_name="独任法官")
    solo.set_password("bench-pass-123")
    solo.save()
    svc.staff_post_set(court=court, actor=admin, user=solo, role="judge", division=team)
    svc.cause_route_set(court=court, actor=admin, cause=Cause.objects.get(name="信用卡纠纷", selectable=True),
                        division=team)
    mine = _open_cases(court, users, WORKBENCH, "信用卡纠纷")
    svc.cases_assign_auto(case_ids=mine, actor=users["filing_officer"])
    client = Client()
    client.force_login(solo)
    assert client.get("/court/work/").status_code == 200
    times, cpu_times = [], []
    for _ in range(60):
        start, cpu_start = time.perf_counter(), time.process_time()
        response = client.get("/court/work/")
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
        assert response.status_code == 200
    cpu_times.sort()
    times.sort()
    head = User.objects.create(username="bhead", real_name="庭长")
    svc.staff_post_set(court=court, actor=admin, user=head, role="division_head", division=divisions[1])
    client.force_login(head)
    head_times = []
    for _ in range(30):
        start = time.perf_counter()
        client.get("/court/work/")
        head_times.append((time.perf_counter() - start) * 1000)
    head_times.sort()
    return {
        "database": vendor, "cases": len(ids),
        "assign_one_action_per_s": round(len(ids) / t["s"], 1), "assign_one_action_s": round(t["s"], 2),
        "assign_cpu_per_s": round(len(ids) / cpu, 1),
        "assign_batches_of_500_per_s": round(len(ids2) / t2["s"], 1),
        "workbench_open_cases": WORKBENCH,
        "workbench_p50_ms": round(statistics.median(times), 1),
        "workbench_p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "workbench_cpu_p95_ms": round(cpu_times[int(len(cpu_times) * 0.95) - 1], 1),
        "division_head_open_cases": len(ids),
        "division_head_p95_ms": round(head_times[int(len(head_times) * 0.95) - 1], 1),
    }


LABELS = [
    ("cases", "accepted cases assigned by rule"),
    ("assign_one_action_per_s", "**assign all in one action: cases / s** (target ≥ 2,000 on SQLite)"),
    ("assign_one_action_s", "… seconds for the whole batch"),
    ("assign_cpu_per_s", "… cases per CPU-second of the process (what the machine's load does not change)"),
    ("assign_batches_of_500_per_s", "assign in calls of 500 cases: cases / s"),
    ("workbench_open_cases", "open cases of the judge on the workbench"),
    ("workbench_p50_ms", "judge's workbench `/court/work/` p50 (ms)"),
    ("workbench_p95_ms", "**judge's workbench p95 (ms)** (target < 150)"),
    ("workbench_cpu_p95_ms", "… CPU time of the request p95 (ms)"),
    ("division_head_open_cases", "open cases of the division head's division"),
    ("division_head_p95_ms", "division head's workbench p95 (ms)"),
]


def table(rows: list[dict]) -> str:
    lines = ["| measure | " + " | ".join(r["database"] for r in rows) + " |", "|---|" + "---|" * len(rows)]
    for key, label in LABELS:
        lines.append(f"| {label} | " + " | ".join(str(r.get(key, "–")) for r in rows) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("sqlite", "postgres", "--json"):
        which = sys.argv[1] if sys.argv[1] != "--json" else sys.argv[2]
        print(json.dumps(run(which)))
    else:
        dbs = ["sqlite", "postgres"] if pg_available() else ["sqlite"]
        rows = []
        os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
        for db in dbs:  # each in its own process: Django is set up once per process
            out = subprocess.run([sys.executable, __file__, db], capture_output=True, text=True, check=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(table(rows))

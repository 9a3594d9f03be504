"""Issue 14: the mediation network's two hot spots, on the real selectors.

1. Triage for a new dispute (`triage_suggestions`) with 1,000 mediators in 40 organisations and 100,000 past
   disputes behind their precomputed records. Target < 100 ms.
2. The dashboards (`dashboard(court, {})`, and `early_warnings(court)`) over those 100,000 disputes. Target < 1 s.

The history is generated straight into the tables (bulk inserts, like an import of past years: no journal
entries, which neither read path touches): 100,000 民诉前调 cases across 24 months, 12 townships, every dispute
type and state, each closed one with its mediator; each mediator's precomputed record is filled from exactly
those rows, as the closing services keep it. The new dispute is submitted through `dispute_submit`.

`python bench/bench_mediation.py [sqlite|postgres]` prints a Markdown table (both when PostgreSQL runs).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import pg_available, setup_django  # noqa: E402

MEDIATORS = int(os.environ.get("YUNTING_BENCH_MED_MEDIATORS", "1000"))
DISPUTES = int(os.environ.get("YUNTING_BENCH_MED_DISPUTES", "100000"))
PG_URL = os.environ.get("YUNTING_BENCH_PG_MEDIATION", "postgres://postgres@127.0.0.1:5432/yt_medweb_bench")
TOWNS = ("新安街道", "西乡街道", "福永街道", "沙井街道", "松岗街道", "石岩街道", "航城街道", "福海街道", "新桥街道",
         "燕罗街道", "翔安街道", "马巷街道")
CAUSES = ("民间借贷纠纷", "买卖合同纠纷", "机动车交通事故责任纠纷", "劳动争议", "物业服务合同纠纷")
TYPE_OF = {"民间借贷纠纷": "loan", "买卖合同纠纷": "contract", "机动车交通事故责任纠纷": "traffic", "劳动争议": "labour",
           "物业服务合同纠纷": "property"}
ORG_KINDS = ("committee", "industry", "lawyer", "notary")
CLOSED = ("agreed", "failed", "withdrawn", "confirmed", "converted")


def generate(court, rnd: random.Random) -> dict:
    """1,000 mediators in 40 organisations and DISPUTES past disputes, in batches of 5,000."""
    from django.db import transaction
    from django.utils import timezone

    from yunting.core.cases.models import Case, CaseType, Cause
    from yunting.core.people.models import Organisation, User
    from yunting.workflows.mediation.models import Dispute, MediationOrganisation, Mediator

    now = timezone.now()
    causes = {c.name: c for c in Cause.objects.filter(name__in=CAUSES, selectable=True)}
    case_type = CaseType.objects.get(code="民诉前调")
    with transaction.atomic():
        orgs = []
        for i in range(40):
            org = Organisation.objects.create(kind="mediation", name=f"基准调解组织{i:02d}")
            orgs.append(MediationOrganisation.objects.create(
                organisation=org, court=court, kind=ORG_KINDS[i % 4], localities=[TOWNS[i % len(TOWNS)]],
                specialisms=[TYPE_OF[CAUSES[i % len(CAUSES)]]]))
        users = User.objects.bulk_create([User(username=f"bench-mediator-{i}", real_name=f"调解员{i:04d}")
                                          for i in range(MEDIATORS)])
        mediators = Mediator.objects.bulk_create([Mediator(
            user=u, organisation=orgs[i % 40], court=court, capacity=rnd.choice((5, 10, 15, 20)),
            specialisms=[TYPE_OF[CAUSES[i % len(CAUSES)]], TYPE_OF[CAUSES[(i + 2) % len(CAUSES)]]],
            causes=[CAUSES[i % len(CAUSES)]], localities=[TOWNS[i % len(TOWNS)], TOWNS[(i + 5) % len(TOWNS)]],
            languages=["普通话"] + (["闽南话"] if i % 3 == 0 else [])) for i, u in enumerate(users)])
    stats = {m.pk: {"open": 0, "closed": 0, "agreed": 0, "days": 0, "types": {}} for m in mediators}
    batch, seq = 5000, 0
    for start in range(0, DISPUTES, batch):
        cases, rows = [], []
        for _i in range(start, min(start + batch, DISPUTES)):
            seq += 1
            cause_name = CAUSES[rnd.randrange(len(CAUSES))]
            created = now - timedelta(days=rnd.randrange(0, 730), minutes=rnd.randrange(0, 1440))
            state = rnd.choices(("new", "assigned", "mediating") + CLOSED, weights=(1, 1, 2, 30, 35, 8, 15, 8))[0]
            cases.append(Case(number=f"（{created.year}）粤0306民诉前调B{seq}号", year=created.year, sequence=900000 + seq,
                              court=court, case_type=case_type, cause=causes[cause_name], title=f"基准纠纷{seq}",
                              procedure="pre_litigation", status="mediation",
                              security_level="internal", filed_at=created, registered_at=created))
            rows.append((cause_name, created, state))
        with transaction.atomic():
            cases = Case.objects.bulk_create(cases)
            disputes = []
            for case, (cause_name, created, state) in zip(cases, rows, strict=True):
                m = mediators[rnd.randrange(len(mediators))] if state != "new" else None
                days = rnd.randrange(1, 45)
                closed_at = created + timedelta(days=days) if state in CLOSED else None
                if m is not None:
                    s = stats[m.pk]
                    if closed_at:
                        s["closed"] += 1
                        s["days"] += days
                        ok = state in ("agreed", "confirmed")
                        s["agreed"] += ok
                        t = s["types"].setdefault(TYPE_OF[cause_name], [0, 0])
                        t[0] += 1
                        t[1] += ok
                    else:
                        s["open"] += 1
                disputes.append(Dispute(
                    case=case, court=court, dispute_type=TYPE_OF[cause_name], cause=causes[cause_name],
                    locality=TOWNS[rnd.randrange(len(TOWNS))], state=state, claims=["请求调解"],
                    claim_amount=rnd.randrange(1000, 500000), created_at=created,
                    assign_due=(created + timedelta(days=5)).date(), mediator=m,
                    organisation=m.organisation if m else None, assigned_at=created + timedelta(days=1) if m else None,
                    accepted_at=created + timedelta(days=2) if m else None, closed_at=closed_at))
            Dispute.objects.bulk_create(disputes)
    for m in mediators:
        s = stats[m.pk]
        m.open_count, m.closed_count, m.success_count, m.days_total, m.type_stats = (
            s["open"], s["closed"], s["agreed"], s["days"], s["types"])
    Mediator.objects.bulk_update(mediators, ["open_count", "closed_count", "success_count", "days_total",
                                             "type_stats"], batch_size=500)
    return {"mediators": len(mediators), "organisations": len(orgs)}


def _timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return sorted(out)


def _p95(xs: list[float]) -> float:
    return round(xs[max(0, int(len(xs) * 0.95) - 1)], 1)


def run(db: str) -> dict:
    vendor = setup_django(PG_URL if db == "postgres" else None)
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.workflows.mediation import selectors, services
    from yunting.workflows.mediation.models import Dispute

    orgs, users = cast_ensure(password="bench-pass-123")
    court = orgs["court"]
    start = time.perf_counter()
    made = generate(court, random.Random(14))
    setup_s = time.perf_counter() - start
    if db == "postgres":
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    dispute = services.dispute_submit(actor=users["plaintiff"], payload={
        "court": court.court_code, "case_type": "民初", "cause": "民间借贷纠纷", "dispute_type": "loan",
        "locality": "新安街道", "claim_amount": "50000", "claims": ["判令被告归还借款50000元"],
        "facts": "被告向原告借款五万元，到期未还。",
        "parties": [{"role": "plaintiff", "kind": "natural", "name": users["plaintiff"].real_name,
                     "id_number": users["plaintiff"].id_number, "phone": "13912345678"},
                    {"role": "defendant", "kind": "natural", "name": "李娜", "phone": "13800001111"}]})
    first = selectors.triage_suggestions(dispute)
    assert first and list(first) == list(selectors.triage_suggestions(dispute)), "triage not deterministic"
    triage = _timed(lambda: selectors.triage_suggestions(dispute), 50)
    board = _timed(lambda: selectors.dashboard(court, {}), 5)
    warnings = _timed(lambda: selectors.early_warnings(court), 5)
    return {
        "database": vendor, "mediators": made["mediators"], "organisations": made["organisations"],
        "past_disputes": Dispute.objects.count() - 1, "setup_s": round(setup_s, 1),
        "triage_p50_ms": round(statistics.median(triage), 1), "triage_p95_ms": _p95(triage),
        "dashboard_p50_ms": round(statistics.median(board), 1), "dashboard_max_ms": round(board[-1], 1),
        "warnings_p50_ms": round(statistics.median(warnings), 1),
    }


LABELS = [
    ("mediators", "mediators on the roster"), ("organisations", "… in organisations"),
    ("past_disputes", "past disputes (24 months, 12 townships, every type and state)"),
    ("setup_s", "… seconds to generate them"),
    ("triage_p50_ms", "triage for a new dispute p50 (ms)"),
    ("triage_p95_ms", "**triage p95 (ms)** (target < 100)"),
    ("dashboard_p50_ms", "**dashboard (by type, locality, month; resolution; time; mediators) p50 (ms)** "
                         "(target < 1000)"),
    ("dashboard_max_ms", "… slowest of 5"),
    ("warnings_p50_ms", "early-warning list p50 (ms)"),
]


def table(rows: list[dict]) -> str:
    lines = ["| measure | " + " | ".join(r["database"] for r in rows) + " |", "|---|" + "---|" * len(rows)]
    for key, label in LABELS:
        lines.append(f"| {label} | " + " | ".join(str(r.get(key, "–")) for r in rows) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1]), ensure_ascii=False))
    else:
        dbs = ["sqlite"] + (["postgres"] if pg_available() else [])
        rows = [json.loads(subprocess.run([sys.executable, __file__, db], capture_output=True, text=True,
                                          check=True).stdout.splitlines()[-1]) for db in dbs]
        print(table(rows))

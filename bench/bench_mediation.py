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


STATE_BANDS = ((1, "new"), (2, "assigned"), (4, "mediating"), (34, "agreed"), (69, "failed"), (77, "withdrawn"),
               (92, "confirmed"), (100, "converted"))


def _row(i: int, mediators: int) -> dict:
    """Dispute number i of the history, from i alone (the SQL below computes the same): deterministic spread."""
    band = (i * 53) % 100
    state = next(name for upper, name in STATE_BANDS if band < upper)
    return {"cause": CAUSES[(i * 13) % 5], "state": state, "days": 1 + (i * 11) % 44,
            "mediator": None if state == "new" else (i * 31) % mediators}


def _percent(sql: str) -> str:
    """Modulo signs doubled: the statement goes through the driver's parameter formatting."""
    return sql.replace(" % ", " %% ")


def _case_when(expr: str, values: list[str]) -> str:
    return "CASE " + " ".join(f"WHEN {expr} = {k} THEN {v}" for k, v in enumerate(values)) + " END"


def generate(court, rnd: random.Random) -> dict:
    """1,000 mediators in 40 organisations (through the ORM), then DISPUTES past 民诉前调 cases and their disputes
    inserted by the database itself (INSERT … SELECT over a counter: seconds, not the minutes 200,000 ORM
    objects take on a loaded machine). Each mediator's precomputed record is then set from the same rows."""
    from django.db import connection, transaction

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.people.models import Organisation, User
    from yunting.workflows.mediation.models import MediationOrganisation, Mediator

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
    mids = sorted(m.pk for m in mediators)
    first = mids[0]
    assert mids[-1] - first + 1 == len(mids), "mediator ids are not contiguous"
    pg = connection.vendor == "postgresql"
    n, m_count = DISPUTES, len(mids)

    def ago(i: str, extra: str = "") -> str:  # created_at of row i (UTC), optionally plus days
        if pg:
            return (f"(now() - make_interval(days => (({i}) * 7919) % 730, mins => (({i}) * 37) % 1440)"
                    + (f" + make_interval(days => {extra})" if extra else "") + ")")
        return (f"datetime('now', '-' || ((({i}) * 7919) % 730) || ' days', '-' || ((({i}) * 37) % 1440) || "
                f"' minutes'" + (f", '+' || ({extra}) || ' days'" if extra else "") + ")")

    def day(i: str, extra: str) -> str:
        return f"({ago(i, extra)})::date" if pg else f"date({ago(i, extra)})"

    counter = (f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) ")
    cause = _case_when("(i * 13) % 5", [repr(causes[c].pk) for c in CAUSES])
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(_percent(
            counter + "INSERT INTO cases_case (number, year, sequence, court_id, case_type_id, tribunal_code, "
            "cause_id, title, procedure, status, security_level, claim_amount, filed_at, registered_at, "
            "journal_length, journal_head, created_at, updated_at) "
            f"SELECT '（2025）粤0306民诉前调B' || i || '号', 2025, 900000 + i, %s, %s, '', {cause}, "
            f"'基准纠纷' || i, 'pre_litigation', 'mediation', 'internal', 1000 + (i * 4111) % 499000, "
            f"{ago('i')}, {ago('i')}, 0, '', {ago('i')}, {ago('i')} FROM s"), [court.pk, case_type.pk])
        i = "(c.sequence - 900000)"
        band = f"(({i} * 53) % 100)"
        state = "CASE " + " ".join(f"WHEN {band} < {upper} THEN '{name}'" for upper, name in STATE_BANDS) + " END"
        open_ = f"{band} < 1"
        closed = f"{band} >= 4"
        mediator = f"CASE WHEN {open_} THEN NULL ELSE {first} + ({i} * 31) % {m_count} END"
        cur.execute(_percent(
            "INSERT INTO mediation_dispute (case_id, court_id, dispute_type, cause_id, locality, language, state, "
            "claims, claim_amount, facts, questionnaire, payload, external_id, mode, created_at, assign_due, "
            "assigned_at, accepted_at, closed_at, outcome_reason, undisputed_facts, disputed_points, mediator_id, "
            "organisation_id, updated_at) "
            f"SELECT c.id, c.court_id, {_case_when(f'({i} * 13) % 5', [repr(TYPE_OF[c]) for c in CAUSES])}, "
            f"c.cause_id, {_case_when(f'({i} * 17) % 12', [repr(t) for t in TOWNS])}, '', {state}, "
            f"'[\"请求调解\"]', c.claim_amount, '', '{{}}', '{{}}', '', '', c.created_at, {day(i, '5')}, "
            f"CASE WHEN {open_} THEN NULL ELSE {ago(i, '1')} END, CASE WHEN {open_} THEN NULL ELSE {ago(i, '2')} END, "
            f"CASE WHEN {closed} THEN {ago(i, f'1 + ({i} * 11) % 44')} ELSE NULL END, '', '[]', '[]', "
            f"m.id, m.organisation_id, c.created_at "
            f"FROM cases_case c LEFT JOIN mediation_mediator m ON m.id = ({mediator}) "
            "WHERE c.sequence > 900000 AND c.case_type_id = %s"), [case_type.pk])
    stats = {pk: {"open": 0, "closed": 0, "agreed": 0, "days": 0, "types": {}} for pk in mids}
    for k in range(1, n + 1):
        r = _row(k, m_count)
        if r["mediator"] is None:
            continue
        st = stats[first + r["mediator"]]
        if r["state"] in CLOSED:
            ok = r["state"] in ("agreed", "confirmed")
            st["closed"] += 1
            st["days"] += r["days"]
            st["agreed"] += ok
            t = st["types"].setdefault(TYPE_OF[r["cause"]], [0, 0])
            t[0] += 1
            t[1] += ok
        else:
            st["open"] += 1
    for med in mediators:
        st = stats[med.pk]
        med.open_count, med.closed_count, med.success_count, med.days_total, med.type_stats = (
            st["open"], st["closed"], st["agreed"], st["days"], st["types"])
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
    from yunting.workflows.mediation import dashboards, selectors, services
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
    queue = list(Dispute.objects.filter(court=court, state="new").select_related("case", "cause")
                 .prefetch_related("picks", "assignments").order_by("assign_due", "id")[:20])
    queue_page = _timed(lambda: dashboards.attach_suggestions(queue), 5)
    board = _timed(lambda: selectors.dashboard(court, {}), 5)
    warnings = _timed(lambda: selectors.early_warnings(court), 5)
    return {
        "database": vendor, "mediators": made["mediators"], "organisations": made["organisations"],
        "past_disputes": Dispute.objects.count() - 1, "setup_s": round(setup_s, 1),
        "triage_p50_ms": round(statistics.median(triage), 1), "triage_p95_ms": _p95(triage),
        "queue_page_p50_ms": round(statistics.median(queue_page), 1),
        "dashboard_p50_ms": round(statistics.median(board), 1), "dashboard_max_ms": round(board[-1], 1),
        "warnings_p50_ms": round(statistics.median(warnings), 1),
    }


LABELS = [
    ("mediators", "mediators on the roster"), ("organisations", "… in organisations"),
    ("past_disputes", "past disputes (24 months, 12 townships, every type and state)"),
    ("setup_s", "… seconds to generate them"),
    ("triage_p50_ms", "triage for a new dispute p50 (ms)"),
    ("triage_p95_ms", "**triage p95 (ms)** (target < 100)"),
    ("queue_page_p50_ms", "coordinator's queue page: 20 new disputes, top 3 suggestions each, p50 (ms)"),
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

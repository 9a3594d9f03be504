"""Issue 13: the asynchronous trial's two hot spots, on the real code paths.

1. Report generation for a case with 200 evidence items, 3 parties and 4 rounds, each item answered by both
   other parties on the three properties (asynctrial_report: summary, PDF with embedded fonts, blob, journal
   entry, e-file document). Target < 3 s.
2. Unread counts for an assistant steering 500 active exchanges of 10 items each (some court-only or for one
   party; half the threads partly read): core/threads unread_counts. Target < 50 ms. Also the whole 一对多
   queue (queue_for) over the same 500.

`python bench/bench_asynctrial.py [sqlite|postgres]` prints a Markdown table (both when PostgreSQL runs).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import pg_available, setup_django  # noqa: E402

EVIDENCE = int(os.environ.get("YUNTING_BENCH_ASYNC_EVIDENCE", "200"))
EXCHANGES = int(os.environ.get("YUNTING_BENCH_ASYNC_EXCHANGES", "500"))
PG_URL = os.environ.get("YUNTING_BENCH_PG_ASYNC", "postgres://postgres@127.0.0.1:5432/yunting_bench_asynctrial")
POSITIONS = ({"authenticity": "accept", "legality": "accept", "relevance": "accept"},
             {"authenticity": "reject", "legality": "accept", "relevance": "partial"})


def _report_case(orgs, users):
    from yunting.core.cases.access import access_case_for
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open
    from yunting.core.people.models import User
    from yunting.workflows.asynctrial import services

    people = [User.objects.create(username=f"async{i}", real_name=name) for i, name in
              enumerate(("原告甲", "被告乙", "第三人丙"))]
    case = case_open(data=CaseInput(
        court=orgs["court"], case_type=CaseType.objects.get(code="民初"),
        cause=Cause.objects.get(name="民间借贷纠纷", selectable=True),
        parties=[PartyInput(role=role, kind="natural", name=u.real_name, user=u)
                 for role, u in zip(("plaintiff", "defendant", "third_party"), people, strict=True)],
        participants=[(users["judge"], "presiding_judge"), (users["assistant"], "judge_assistant")]),
        actor=users["filing_officer"])

    def acc(user):
        return access_case_for(user, case.pk)

    services.asynctrial_propose(access=acc(users["assistant"]), actor=users["assistant"])
    for u in people:
        services.asynctrial_consent(access=acc(u), actor=u, party_id=None, consent=True)
        services.asynctrial_pledge(access=acc(u), actor=u)
    per_round = EVIDENCE // 4
    for rnd in range(4):
        if rnd:
            services.asynctrial_round_open(access=acc(users["assistant"]), actor=users["assistant"], days=5)
        for k in range(per_round):
            n = rnd * per_round + k
            author = people[n % 3]
            ev = services.asynctrial_post(access=acc(author), actor=author, kind="evidence",
                                          text=f"第{n + 1}号证据：转账记录及说明，共三页。", title=f"证据{n + 1}",
                                          purpose=f"证明第{n + 1}笔借款已交付", source="银行", pages=f"{n}-{n + 2}")
            for j, other in enumerate(p for p in people if p is not author):
                pos = POSITIONS[(n + j) % 2]
                services.asynctrial_post(access=acc(other), actor=other, kind="opinion", text="质证意见如下。",
                                         refers_to=ev.pk, positions=pos,
                                         reasons={p: "与原件不符" for p, v in pos.items() if v != "accept"})
    return case, acc


def _many_exchanges(orgs, users):
    from django.db import transaction
    from django.utils import timezone

    from yunting.core.cases.models import CaseType, Cause, Party
    from yunting.core.cases.services import CaseInput, PartyInput, case_open_many
    from yunting.core.journal.services import EntryInput, journal_append_many
    from yunting.core.threads.models import Item, ReadMark, Thread
    from yunting.workflows.asynctrial.models import Exchange, Round

    court = orgs["court"]
    case_type, cause = CaseType.objects.get(code="民初"), Cause.objects.get(name="买卖合同纠纷", selectable=True)
    author, now = users["plaintiff"], timezone.now()
    for start in range(0, EXCHANGES, 250):
        with transaction.atomic():
            cases = case_open_many(items=[CaseInput(
                court=court, case_type=case_type, cause=cause,
                parties=[PartyInput(role="plaintiff", kind="natural", name=f"原告{i}"),
                         PartyInput(role="defendant", kind="natural", name=f"被告{i}")],
                participants=[(users["assistant"], "judge_assistant")]) for i in range(start, start + 250)],
                actor=users["filing_officer"])
            threads = Thread.objects.bulk_create([Thread(case=c, purpose="asynctrial", item_count=10, last_item_at=now)
                                                  for c in cases])
            exchanges = Exchange.objects.bulk_create([Exchange(case=c, thread=t, state="open", proposed_by=users["assistant"],
                                                               proposed_at=now, opened_at=now, current_round=1)
                                                      for c, t in zip(cases, threads, strict=True)])
            Round.objects.bulk_create([Round(exchange=e, number=1, opened_at=now, deadline=now) for e in exchanges])
            entries = journal_append_many([EntryInput(case=c, kind="threads.item_posted", actor=author,
                                                      payload={"thread": t.pk, "seq": s, "sha256": "0" * 64})
                                           for c, t in zip(cases, threads, strict=True) for s in range(1, 11)])
            party = dict(Party.objects.filter(case__in=cases, role="plaintiff").values_list("case_id", "pk"))
            other = dict(Party.objects.filter(case__in=cases, role="defendant").values_list("case_id", "pk"))
            items, k = [], 0
            for c, t in zip(cases, threads, strict=True):
                for s in range(1, 11):
                    vis = "court" if s == 9 else f"party:{other[c.pk]}" if s == 10 else "all"
                    items.append(Item(thread=t, seq=s, kind="evidence" if s % 2 else "opinion", visibility=vis,
                                      author=author, author_label="原告", author_party_id=party[c.pk],
                                      text="内容", data={"round": 1}, sha256="0" * 64, entry=entries[k],
                                      created_at=now))
                    k += 1
            Item.objects.bulk_create(items)
            ReadMark.objects.bulk_create([ReadMark(thread=t, user=users["assistant"], last_seq=5)
                                          for t in threads[::2]])


def _timed(fn, n: int, cpu: list | None = None) -> list[float]:
    """Wall milliseconds of n calls, sorted; `cpu` collects this process's CPU milliseconds (what a loaded
    machine does not inflate; on SQLite it includes the database's own work)."""
    out = []
    for _ in range(n):
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - cpu_start) * 1000)
    if cpu is not None:
        cpu.sort()
    return sorted(out)


def run(db: str) -> dict:
    vendor = setup_django(PG_URL if db == "postgres" else None)
    from yunting.core.threads.selectors import unread_counts
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.workflows.asynctrial import services
    from yunting.workflows.asynctrial.report import report_pdf
    from yunting.workflows.asynctrial.selectors import exchange_for, queue_for

    orgs, users = cast_ensure(password="bench-pass-123")
    out: dict = {"database": vendor}
    if EVIDENCE:  # 0: only the unread counts and the queue
        setup = time.perf_counter()
        case, acc = _report_case(orgs, users)
        setup = time.perf_counter() - setup
        ex = exchange_for(case)
        report = _timed(lambda: services.asynctrial_report(access=acc(users["assistant"]), actor=users["assistant"]),
                        5)
        pdf = report_pdf(ex)
        render = _timed(lambda: report_pdf(ex), 3)
        out.update({
            "evidence_items": EVIDENCE, "items_in_report_case": ex.thread.items.count(),
            "report_setup_s": round(setup, 1),
            "report_p50_s": round(statistics.median(report) / 1000, 3), "report_max_s": round(report[-1] / 1000, 3),
            "report_render_only_s": round(statistics.median(render) / 1000, 3),
            "report_pages_kb": f"{len(pdf) // 1024} KB"})
    _many_exchanges(orgs, users)
    counts = unread_counts(users["assistant"])
    assert len(counts) == EXCHANGES + (1 if EVIDENCE else 0), len(counts)
    cpu: list[float] = []
    unread = _timed(lambda: unread_counts(users["assistant"]), 50, cpu)
    queue = _timed(lambda: queue_for(users["assistant"]), 10)
    return {
        **out, "exchanges": EXCHANGES,
        "unread_p50_ms": round(statistics.median(unread), 1),
        "unread_p95_ms": round(unread[int(len(unread) * 0.95) - 1], 1),
        "unread_cpu_p95_ms": round(cpu[int(len(cpu) * 0.95) - 1], 1),
        "queue_p50_ms": round(statistics.median(queue), 1),
    }


LABELS = [
    ("evidence_items", "evidence items in the report case (3 parties, 4 rounds)"),
    ("items_in_report_case", "… items in its thread (evidence + both other parties' opinions)"),
    ("report_setup_s", "… seconds to post them all through the services (journal, ledger, filter)"),
    ("report_p50_s", "**report generated and filed (PDF, blob, journal, e-file) p50 (s)** (target < 3)"),
    ("report_max_s", "… slowest of 5"),
    ("report_render_only_s", "… the PDF alone (summary + render) p50 (s)"),
    ("report_pages_kb", "… PDF size"),
    ("exchanges", "active exchanges the assistant steers (10 items each)"),
    ("unread_p50_ms", "unread counts over all of them p50 (ms)"),
    ("unread_p95_ms", "**unread counts p95 (ms)** (target < 50)"),
    ("unread_cpu_p95_ms", "… CPU time of this process p95 (ms; on SQLite includes the database)"),
    ("queue_p50_ms", "the whole 一对多 queue (unread, overdue, disputed, consents) p50 (ms)"),
]


def table(rows: list[dict]) -> str:
    lines = ["| measure | " + " | ".join(r["database"] for r in rows) + " |", "|---|" + "---|" * len(rows)]
    for key, label in LABELS:
        lines.append(f"| {label} | " + " | ".join(str(r.get(key, "–")) for r in rows) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("sqlite", "postgres"):
        print(json.dumps(run(sys.argv[1])))
    else:
        dbs = ["sqlite", "postgres"] if pg_available() else ["sqlite"]
        rows = []
        os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
        for db in dbs:  # each in its own process: Django is set up once per process
            out = subprocess.run([sys.executable, __file__, db], capture_output=True, text=True, check=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(table(rows))

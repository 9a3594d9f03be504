"""`make bench`: run every benchmark in its own process and write its section of docs/PERFORMANCE.md.

Each section sits between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; text outside the markers (the
analysis) is kept. A benchmark whose run fails leaves its previous section in place and is reported.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "PERFORMANCE.md"
PY = sys.executable


def _run(args: list[str], env: dict | None = None) -> str:
    out = subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})},
                         timeout=3600)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return out.stdout.strip()


def journal_section() -> str:
    rows = [json.loads(_run(["bench/bench_journal.py", db]).splitlines()[-1]) for db in ("sqlite", "postgres")]
    keys = [("journal_appends_per_s", "journal appends / s as deployed (chain + e-file + ledger leaf), best of 5"),
            ("journal_appends_per_s_median", "… median of 5 rounds"),
            ("journal_only_appends_per_s", "journal appends / s without the ledger recorder (issue 2 scope), best of 5"),
            ("journal_only_appends_per_s_median", "… median of 5 rounds"),
            ("allocations_per_s_threads_8", "case numbers allocated / s, 8 threads contending"),
            ("allocations_per_s_processes_4", "case numbers allocated / s, 4 processes contending"),
            ("cases_opened_per_s_4_threads", "whole cases opened / s (number, parties, index, entry), 4 threads")]
    lines = ["| measure | " + " | ".join(r["database"] for r in rows) + " |", "|---|" + "---|" * len(rows)]
    for key, label in keys:
        lines.append(f"| {label} | " + " | ".join(str(r.get(key, r.get("skipped", "–"))) for r in rows) + " |")
    return "\n".join(lines)


def _json_table(out: str) -> str:
    """A benchmark that prints one JSON object: render it as a two-column table."""
    data = json.loads(out.splitlines()[-1])
    return "\n".join(["| measure | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in data.items())])


def filing_section() -> str:
    import socket

    rows = [json.loads(_run(["bench/bench_filing.py", "sqlite"]).splitlines()[-1])]
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        pg = True
    except OSError:
        pg = False
    if pg:
        rows.append(json.loads(_run(["bench/bench_filing.py", "postgres"]).splitlines()[-1]))
    keys = [("records", "records in the ZIP batch (one PDF contract each)"), ("invalid", "refused with field-level reasons"),
            ("records_validated_per_s", "records validated, PDFs checked and stored, filed / s"),
            ("cases_accepted_per_s", "cases accepted / s (numbered, parties, e-file, 2 journal entries + ledger leaves)"),
            ("end_to_end_cases_per_s", "**end to end: cases / s from upload to registered case**"),
            ("notices_per_s", "background: acceptance notices rendered and issued / s (sample, one process)"),
            ("texts_extracted_per_s", "background: filed PDFs' text extracted for search / s (sample)")]
    lines = ["| measure | " + " | ".join(r["database"] for r in rows) + " |", "|---|" + "---|" * len(rows)]
    for key, label in keys:
        lines.append(f"| {label} | " + " | ".join(str(r.get(key, "–")) for r in rows) + " |")
    return "\n".join(lines)


def _pg_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


def scale_section() -> str:
    """Issue 18: the journal on PostgreSQL under 1 and 16 writers, beside raw PostgreSQL and the journal without
    ledger work, measured in the same run; the sequencer's inclusion delay."""
    if not _pg_up():
        raise RuntimeError("PostgreSQL not reachable on 127.0.0.1:5432")
    return _json_table(_run(["bench/bench_scale.py"]))


def sequencer_kill_section() -> str:
    if not _pg_up():
        raise RuntimeError("PostgreSQL not reachable on 127.0.0.1:5432")
    return _json_table(_run(["bench/bench_sequencer_kill.py"]))


def _sqlite_and_postgres(script: str) -> list[dict]:
    """One JSON result line from `script` on SQLite, and on PostgreSQL when it is reachable."""
    import socket

    rows = [json.loads(_run([script, "sqlite"]).splitlines()[-1])]
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return rows
    rows.append(json.loads(_run([script, "postgres"]).splitlines()[-1]))
    return rows


def _table(rows: list[dict], keys: list[tuple[str, str]]) -> str:
    lines = ["| measure | " + " | ".join(r["database"] for r in rows) + " |", "|---|" + "---|" * len(rows)]
    for key, label in keys:
        lines.append(f"| {label} | " + " | ".join(str(r.get(key, "–")) for r in rows) + " |")
    return "\n".join(lines)


def clocks_section() -> str:
    """Recompute every deadline of 100,000 open cases (target under 10 s)."""
    keys = [("open_cases", "open cases"), ("history_entries", "clock entries among them (service, fees, suspension …)"),
            ("deadlines_written", "deadlines computed and stored"),
            ("recompute_s", "**seconds to recompute every deadline** into an empty index (target < 10)"),
            ("recompute_cpu_s", "… CPU seconds of that (the machine is shared: wall time depends on the load)"),
            ("recompute_again_s", "seconds to recompute every deadline again (index present: unchanged rows stay)"),
            ("recompute_again_cpu_s", "… CPU seconds"), ("load_average_1min", "load average during the run (2 cores)"),
            ("cases_per_s", "cases / s"), ("deadlines_per_s", "deadlines / s"),
            ("open_cases_per_s_with_clocks_recorder", "cases opened / s in bulk, with the clocks recorder"),
            ("open_cases_per_s_without_clocks_recorder", "… without it")]
    return _table(_sqlite_and_postgres("bench/bench_clocks.py"), keys)


def fees_section() -> str:
    keys = [("cases", "cases, each with a fee notice"),
            ("fee_notices_issued_per_s", "fee notices issued / s (row + `fee.notice_issued` entry + ledger leaf)"),
            ("statement_lines_reconciled_per_s", "bank-statement lines reconciled / s (matched, paid, `fee.paid`)"),
            ("statement_import_s", "one statement paying every case, seconds"),
            ("fee_states_2000_cases_ms_median", "fee_states for 2,000 cases (the workbench), ms, median"),
            ("fee_states_2000_cases_ms_p95", "… p95 of 30")]
    return _table(_sqlite_and_postgres("bench/bench_fees.py"), keys)


def rooms_section() -> str:
    keys = [("connections", "WebSockets (50 rooms × judge, plaintiff, defendant)"),
            ("join_ms_p50", "join latency p50, ms (open → first message; arrivals spread over 3 s)"),
            ("join_ms_p95", "**join latency p95, ms** (target < 200)"),
            ("join_burst_ms_p50", "join latency p50, ms, all 150 at once"), ("join_burst_ms_p95", "… p95"),
            ("join_alone_ms_p50", "join latency p50, ms, one at a time (the intrinsic cost)"),
            ("join_alone_ms_p95", "… p95"),
            ("server_cpu_ms_per_join_and_drop", "server CPU ms per join + drop (journal entries, ledger leaves, roster)"),
            ("admit_ms_p50", "admit → the party's welcome, ms, p50"), ("admit_ms_p95", "… p95"),
            ("ping_ms_p50", "ping round trip over the room socket, ms, p50"), ("ping_ms_p95", "… p95"),
            ("echo_ping_ms_p50", "floor: bare `websockets` echo round trip, ms, p50"), ("echo_ping_ms_p95", "… p95"),
            ("echo_connect_ms_p95", "floor: echo connect + first echo, ms, p95"),
            ("chat_sent_per_s", "chat messages sent / s (all rooms)"),
            ("chat_delivered_per_s", "chat messages delivered / s (each to 3 sockets)"),
            ("chat_delivered_share", "share of the chat flood delivered (the in-memory layer drops past 100 queued per socket)"),
            ("echo_messages_per_s", "floor: echo messages / s"),
            ("server_kb_per_connection", "server memory per connection, KB (RSS)"),
            ("server_rss_mb_idle", "server RSS before connections, MB"), ("echo_server_rss_mb", "echo server RSS, MB"),
            ("load_average_1min", "load average at the end (2 cores, shared)")]
    return _table(_sqlite_and_postgres("bench/bench_rooms.py"), keys)


def service_section() -> str:
    """Issue 11: plan and dispatch 10,000 service tasks against an address history of 1,000,000 past attempts
    (target under 10 s on SQLite)."""
    keys = [("tasks", "service tasks"), ("history_attempts", "past attempts in the address history"),
            ("history_rows", "… kept as contact rows (counts and last ten outcomes per contact)"),
            ("plans_with_history_reason", "plans with a reason taken from the history (failures, success streaks)"),
            ("sms", "dispatched by SMS (consented): outbox row, link, one-time code, attempt, entry"),
            ("post", "dispatched by post (EMS number): attempt, entry"),
            ("plan_s", "seconds to plan (request) every task"), ("dispatch_s", "seconds to dispatch every task"),
            ("plan_and_dispatch_s", "**seconds to plan and dispatch 10,000 tasks** (target < 10)"),
            ("plan_and_dispatch_cpu_s", "… CPU seconds of that (the machine is shared: wall time depends on the load)"),
            ("load_average_1min", "load average at the end (2 cores)"),
            ("tasks_planned_per_s", "tasks planned / s"), ("tasks_dispatched_per_s", "tasks dispatched / s"),
            ("one_click_request_ms", "one judge's request (one case, five recipients), ms")]
    return _table(_sqlite_and_postgres("bench/bench_service.py"), keys)


def space_section() -> str:
    """Issue 20: case spaces — fan-out to 100 members (one process, Redis + two processes, the bare floor), 1,000
    spaces at once, memory per connection. SQLite only: the measured path is the socket and the layer; the
    database cost of a post is the journal's, measured in the journal section on both databases."""
    keys = [("members", "members connected to one space"), ("messages", "messages sent one after another (each to all)"),
            ("one_process_delivery_ms_p50", "fan-out, one process (in-memory layer): send → each arrival, ms, p50"),
            ("one_process_delivery_ms_p99", "**… p99** (target < 150)"),
            ("one_process_last_arrival_ms_p99", "… send → the 100th arrival, ms, p99"),
            ("redis_two_processes_delivery_ms_p50", "fan-out, Redis layer, two processes (members split): ms, p50"),
            ("redis_two_processes_delivery_ms_p99", "**… p99** (target < 150)"),
            ("redis_two_processes_last_arrival_ms_p99", "… send → the 100th arrival, ms, p99"),
            ("floor_delivery_ms_p50", "floor: bare `websockets` broadcast server, ms, p50"),
            ("floor_delivery_ms_p99", "floor: … p99"), ("floor_last_arrival_ms_p99", "floor: … the 100th arrival, p99"),
            ("spaces", "spaces active at once (one socket each, one process)"),
            ("spaces_opened_s", "seconds to open those cases and their spaces (set-up)"),
            ("many_spaces_message_ms_p50", "all of them send one message at once: send → own copy, ms, p50"),
            ("many_spaces_message_ms_p99", "… p99"), ("many_spaces_messages_per_s", "… messages stored and sent / s"),
            ("server_kb_per_connection", "server memory per connection, KB (RSS growth over those sockets)"),
            ("server_rss_mb", "server RSS before, MB"), ("floor_server_rss_mb", "floor server RSS, MB"),
            ("load_average_1min_start", "load average at the start (2 cores, shared by several engineers)"),
            ("load_average_1min_end", "load average at the end")]
    return _table([json.loads(_run(["bench/bench_space.py", "sqlite"]).splitlines()[-1])], keys)


BENCHES = {
    "journal": journal_section,
    "ledger": lambda: _run(["bench/bench_ledger.py"], {"YUNTING_BENCH_SKIP_10M": os.environ.get("YUNTING_BENCH_SKIP_10M", "")}),
    "documents": lambda: _run(["bench/bench_documents.py"]),
    "filing": lambda: filing_section(),
    "scale": scale_section,
    "sequencer_kill": sequencer_kill_section,
    "scan": lambda: _run(["bench/bench_scan.py"]),
    "clocks": clocks_section,
    "lifecycle": lambda: _run(["bench/bench_lifecycle.py"]),
    "fees": lambda: fees_section(),
    "rooms": lambda: rooms_section(),
    "space": lambda: space_section(),
    "service": service_section,
    "rooms_media": lambda: _run(["bench/bench_rooms_media.py"]),
    "asynctrial": lambda: _run(["bench/bench_asynctrial.py"]),
    "scheduling": lambda: scheduling_section(),
    "archive": lambda: _run(["bench/bench_archive.py"]),
    "mediation": lambda: _run(["bench/bench_mediation.py"]),
    "ocr": lambda: ocr_section(),
}


def scheduling_section() -> str:
    rows = [json.loads(line) for line in _run(["bench/bench_scheduling.py"]).splitlines() if line.startswith("{")]
    keys = [("working_days", "working days in the week (Labour Day Friday off)"), ("hearings", "hearings"),
            ("greedy_placed_share", "first-fit: share placed"), ("greedy_s", "first-fit: seconds"),
            ("cpsat_placed_share", "**CP-SAT: share placed**"), ("cpsat_s", "**CP-SAT: seconds (target < 30)**"),
            ("cpsat_cpu_s", "CP-SAT: CPU seconds of the process (2 solver threads)"),
            ("cpsat_status", "CP-SAT status"), ("cpsat_placed_bound", "CP-SAT bound: most hearings placeable"),
            ("cpsat_placed_gap", "CP-SAT gap in hearings placed ((bound − placed) / bound)"),
            ("cpsat_objective_gap", "CP-SAT optimality gap of the objective"),
            ("lns_rounds", "day-window re-solves"), ("violations", "rule violations found by check_plan (both plans)"),
            ("load_avg_1m_at_start", "machine load average at start (2 cores)")]
    lines = ["| measure | " + " | ".join(f"{r['slots_per_day']} slots/day" for r in rows) + " |",
             "|---|" + "---|" * len(rows)]
    for key, label in keys:
        lines.append(f"| {label} | " + " | ".join(str(r.get(key, "–")) for r in rows) + " |")
    return "\n".join(lines)


def ocr_section() -> str:
    """Issue 16: OCR pages per minute (both cores vs RapidOCR alone), then search over BENCH_PAGES pages on PG."""
    ocr = _json_table(_run(["bench/bench_ocr.py", "ocr"]))
    search = _json_table(_run(["bench/bench_ocr.py", "search"])) if _pg_up() else "PostgreSQL not reachable: skipped."
    return f"**OCR of scanned pages**\n\n{ocr}\n\n**Full-text search on PostgreSQL**\n\n{search}"


def write_section(doc: str, name: str, body: str) -> str:
    stamp = f"_Measured {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}._"
    block = f"<!-- bench:{name} -->\n{stamp}\n\n{body}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
    if pattern.search(doc):
        return pattern.sub(lambda _: block, doc)
    return doc.rstrip() + f"\n\n## {name.capitalize()}: latest `make bench` run\n\n{block}\n"


def main(names: list[str]) -> int:
    doc = DOC.read_text() if DOC.exists() else "# Performance\n"
    failed = []
    for name in names or list(BENCHES):
        if name not in BENCHES or not (ROOT / f"bench/bench_{name}.py").exists():
            continue
        print(f"== bench {name}", flush=True)
        try:
            body = BENCHES[name]()
        except Exception as exc:  # report and keep the other sections
            print(f"   failed: {exc}", flush=True)
            failed.append(name)
            continue
        print(body, flush=True)
        doc = write_section(doc, name, body)
        DOC.write_text(doc)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

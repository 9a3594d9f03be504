"""The load test's report: locust's per-endpoint CSV as a table (requests/s, p50/p95/p99, failures), the
targets checked (p95 < 300 ms for pages and API reads, 0 errors), locust's CPU share and the machine's, and the
`<!-- bench:loadtest -->` block of docs/PERFORMANCE.md rewritten with it. Called by bench/locust/run.sh:

    python bench/locust/report.py OUT_DIR USERS DURATION WORKERS
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Sign-in is a password hash by design (PBKDF2, ~0.25 s of CPU): it is an act, not a page read, so the p95
# target covers the rest; its errors still count.
NOT_READS = {"log in", "document submit", "filing draft open", "filing draft autosave"}
TARGET_P95_MS = 300


def _num(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def report(out: Path, users: str, duration: str, workers: str) -> tuple[str, bool]:
    rows = list(csv.DictReader((out / "run_stats.csv").open()))
    extra = dict(line.strip().split("=", 1) for line in (out / "cpu.txt").read_text().splitlines() if "=" in line)
    user_s, sys_s, wall_s = (_num(x) for x in (out / "locust.time").read_text().split()[-3:])
    cores = os.cpu_count() or 1
    lines = ["| endpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms | target |",
             "|---|---|---|---|---|---|---|---|"]
    ok = True
    for r in rows:
        name = r["Name"]
        reads = name not in NOT_READS and name != "Aggregated"
        p95 = _num(r["95%"])
        failures = int(_num(r["Failure Count"]))
        met = failures == 0 and (not reads or p95 < TARGET_P95_MS)
        if name != "Aggregated":
            ok = ok and met
        mark = "" if name == "Aggregated" else ("met" if met else "**not met**")
        label = f"**{name}**" if name == "Aggregated" else name
        lines.append(f"| {label} | {r['Request Count']} | {failures} | {_num(r['Requests/s']):.2f} | {r['50%']} |"
                     f" {r['95%']} | {r['99%']} | {mark}{'' if reads or name == 'Aggregated' else ' (act)'} |")
    ok = ok and extra.get("jobs_failed", "0") == "0"
    locust_share = (user_s + sys_s) / wall_s / cores if wall_s else 0.0
    targets = Path(__file__).parent / "targets.json"
    cases = json.loads(targets.read_text()).get("total_cases", "?") if targets.exists() else "?"
    lines += ["", f"{cases} cases, {users} users, {duration}, {workers} web workers; locust used {user_s + sys_s:.0f} CPU s in "
              f"{wall_s:.0f} s = **{locust_share:.0%} of the machine** ({cores} cores); the whole machine was "
              f"{float(extra.get('machine_busy_share', 0)):.0%} busy; load average at the end "
              f"{extra.get('load_average', '?')}; web workers restarted by uvicorn: {extra.get('worker_restarts', '?')}; "
              f"background jobs done by the RQ workers: {extra.get('jobs_done', '?')}, failed: "
              f"{extra.get('jobs_failed', '?')}.",
              f"Targets (p95 < {TARGET_P95_MS} ms for pages and API reads, 0 errors, no failed job): "
              f"**{'met' if ok else 'not met'}**."]
    return "\n".join(lines), ok


def write_doc(body: str) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.run import DOC, write_section

    doc = DOC.read_text()
    DOC.write_text(write_section(doc, "loadtest", body))


def main() -> int:
    out, users, duration, workers = Path(sys.argv[1]), *sys.argv[2:5]
    body, ok = report(out, users, duration, workers)
    print(body)
    (out / "report.md").write_text(body + "\n")
    if os.environ.get("LOAD_WRITE_DOC", "1") == "1":
        write_doc(body)
        print(f"docs/PERFORMANCE.md <!-- bench:loadtest --> rewritten ({datetime.date.today()})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Plan one generated week for a division (40 judges, 15 rooms, 1,000 hearings; panels of three, clerks, lawyers
shared across cases, days and slots off, Labour Day on the Friday) with CP-SAT and with the first-fit baseline
in the same run, for 16 and 8 slots a day. Each plan is re-checked by `check_plan` (must be empty).

`python bench/bench_scheduling.py` prints one JSON line per configuration then one summary line
(`YUNTING_BENCH_SCHED_LIMIT` seconds for CP-SAT, default 25, so the whole solve stays under the 30 s target).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LIMIT = float(os.environ.get("YUNTING_BENCH_SCHED_LIMIT", "25"))


def main() -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from yunting.kernel.scheduling import check_plan, greedy, solve
    from yunting.kernel.scheduling.generate import division_week

    rows = []
    for slots in (16, 8):
        problem = division_week(seed=12, judges=40, rooms=15, hearings=1000, days=5, slots=slots)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        fast = greedy(problem)
        greedy_s = time.perf_counter() - started
        started = time.perf_counter()
        best = solve(problem, time_limit=LIMIT)
        cpsat_s = time.perf_counter() - started
        s = best["stats"]
        bound = s["placed_bound"]
        rows.append({
            "slots_per_day": slots, "working_days": len(s["working_days"]), "hearings": s["hearings"],
            "greedy_placed": fast["stats"]["placed"], "greedy_placed_share": fast["stats"]["placed_share"],
            "greedy_s": round(greedy_s, 2),
            "cpsat_placed": s["placed"], "cpsat_placed_share": s["placed_share"], "cpsat_s": round(cpsat_s, 2),
            "cpsat_status": s["status"], "cpsat_objective_gap": s["optimality_gap"],
            "cpsat_placed_bound": bound,
            "cpsat_placed_gap": round((bound - s["placed"]) / bound, 4) if bound else None,
            "lns_rounds": s.get("lns", 0), "violations": len(check_plan(problem, best)) + len(check_plan(problem, fast)),
            "load_avg_1m_at_start": round(load, 1),
        })
        print(json.dumps(rows[-1]), flush=True)
    return rows


if __name__ == "__main__":
    main()

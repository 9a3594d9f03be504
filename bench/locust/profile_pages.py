"""The load test's pages one at a time, in-process, on the seeded database: median milliseconds (wall, and the
CPU this process spent, which a loaded machine disturbs less) and database queries per page for each demo login (docs/PERFORMANCE.md, load-test section). Finds what is slow without the
noise of 200 simulated users; run after bench/locust/seed.py with the same DATABASE_URL:

    DATABASE_URL=postgres://…/yunting_load python bench/locust/profile_pages.py [ROUNDS] [--sql PAGE]

`--sql PAGE` prints that page's queries, slowest first (with their time), for the first login.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
LOGINS = ("plaintiff", "lawyer", "judge", "clerk")


def pages(targets: dict, login: str) -> dict[str, str]:
    mine = targets["users"][login]
    case, doc = mine["cases"][len(mine["cases"]) // 2], mine["documents"][0][0]
    return {
        "workbench": "/",
        "workbench, page 50": "/?page=50",
        "case page": f"/cases/{case}/",
        "e-file": f"/cases/{case}/efile/",
        "document download": f"/documents/{doc}/content",
        "verify": f"/verify/?sha256={targets['sha256'][len(targets['sha256']) // 2]}",
        "API case list": "/api/v1/cases?page=1",
        "API case detail": f"/api/v1/cases/{case}",
        "API case journal": f"/api/v1/cases/{case}/journal",
    }


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yunting.core.people.models import User

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rounds = int(args[0]) if args else 9
    show_sql = sys.argv[sys.argv.index("--sql") + 1] if "--sql" in sys.argv else ""
    targets = json.loads((Path(__file__).parent / "targets.json").read_text())
    out: dict[str, dict] = {}
    for login in LOGINS:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=login))
        for name, url in pages(targets, login).items():
            if show_sql and name != show_sql:
                continue
            times, cpu, queries = [], [], 0
            for i in range(rounds + 1):
                with CaptureQueriesContext(connection) as ctx:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    r = client.get(url)
                    b"".join(r.streaming_content) if r.streaming else r.content
                    elapsed = (time.perf_counter() - start) * 1000
                    elapsed_cpu = (time.process_time() - start_cpu) * 1000
                assert r.status_code == 200, (login, url, r.status_code)
                if i:  # the first request warms caches (templates, the connection)
                    times.append(elapsed)
                    cpu.append(elapsed_cpu)
                queries = len(ctx.captured_queries)
                if show_sql and i == rounds:
                    for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:80]:
                        print(q["time"], q["sql"][:600], "\n")
            out.setdefault(name, {})[login] = {"median_ms": round(statistics.median(times), 1),
                                               "cpu_ms": round(statistics.median(cpu), 1), "queries": queries}
        if show_sql:
            return
    load = os.getloadavg()[0]
    print(json.dumps({"load": round(load, 2), "rounds": rounds, "pages": out}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Seed the load test's database: the demo court, cast and cases (`yunting demo`), then more cases up to
YUNTING_LOAD_CASES (default 100,000) opened in bulk through case_open_many (the real write path: numbers, parties,
journal entries, ledger leaves). One case in 50 has the demo judge, clerk, lawyer and plaintiff on it, so their
workbenches hold thousands of cases. Writes bench/locust/targets.json: which cases, documents and document hashes
each demo login may open, for the locustfile.

    DATABASE_URL=postgres://… REDIS_URL=redis://… YUNTING_DATA_DIR=… python bench/locust/seed.py
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TOTAL = int(os.environ.get("YUNTING_LOAD_CASES", "100000"))
CHUNK = 1000


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("demo", "--quiet")
    from yunting.core.cases.models import Case, CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open_many
    from yunting.core.efile.models import Document
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.kernel.ledger import sequencer

    orgs, users = cast_ensure(password="yunting-demo")
    ct, cause = CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷")
    have = Case.objects.count()
    start = time.perf_counter()
    n = have
    while n < TOTAL:
        items = []
        for i in range(n, min(TOTAL, n + CHUNK)):
            ours = i % 50 == 0
            items.append(CaseInput(
                court=orgs["court"], case_type=ct, cause=cause,
                parties=[PartyInput(role="plaintiff", kind="natural", name=users["plaintiff"].real_name if ours
                                    else f"原告{i}", user=users["plaintiff"] if ours else None),
                         PartyInput(role="defendant", kind="natural", name=f"被告{i}")],
                participants=[(users["judge"], "judge"), (users["clerk"], "clerk"), (users["lawyer"], "lawyer")]
                if ours else [],
            ))
        case_open_many(items=items, actor=users["filing_officer"])
        n += len(items)
        print(f"{n} cases ({(n - have) / (time.perf_counter() - start):.0f}/s)", flush=True)
    sequencer.integrate_pending(wait=True)
    from django.db import connection

    if connection.vendor == "postgresql":  # statistics for the planner now, not when autovacuum gets round to it:
        with connection.cursor() as c:   # without them it guesses a handful of rows per user, not thousands
            c.execute("VACUUM ANALYZE")
    from yunting.core.cases.access import access_document_for
    from yunting.core.cases.errors import DocumentNotFound

    def may_open(user, doc_id) -> bool:  # a party does not see the court's secondary volume: not a target
        try:
            access_document_for(user, doc_id)
            return True
        except DocumentNotFound:
            return False

    def docs_of(user):
        rows = Document.objects.filter(case__participations__user=user).order_by("id").values_list("id", "blob_id")
        return [[d, sha] for d, sha in rows[:400] if may_open(user, d)][:200]

    def cases_of(user):
        return list(Case.objects.filter(participations__user=user).order_by("-id").values_list("id", flat=True)[:500])

    logins = ["plaintiff", "lawyer", "judge", "clerk"]
    targets = {"password": "yunting-demo", "total_cases": Case.objects.count(),
               "users": {u: {"cases": cases_of(users[u]), "documents": docs_of(users[u])} for u in logins},
               "sha256": list(Document.objects.order_by("id").values_list("blob_id", flat=True)[:500])}
    (Path(__file__).parent / "targets.json").write_text(json.dumps(targets))
    print(json.dumps({u: {k: len(v) for k, v in t.items()} for u, t in targets["users"].items()}))


if __name__ == "__main__":
    main()

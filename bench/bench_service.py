"""Service (issue 11) on the real code paths: plan and dispatch 10,000 service tasks against an address history
built from 1,000,000 past attempts.

Set-up (not timed): 2,000 cases with 5 defendants each and their complaint in the e-file; an address history of
200,000 people and organisations — their phones, addresses and platform accounts with the outcomes of 1,000,000
past attempts (the history is kept per contact as counts and the last ten outcomes, so 1,000,000 attempts are
some 500,000 rows); 60% of the recipients consented to SMS service.
Timed: `service_request_many` over every case, 200 cases per call (each recipient's plan from the history, the
tasks, one `service.requested` entry per case with its ledger leaf), then `service_bulk_dispatch` in batches of 500: SMS with a secure link and one-time code for
those who consented (outbox row, link, attempt, `service.attempted`), post with an EMS number for the rest. The
SMS gateway's hand-off runs afterwards in the background worker and is not timed.

`YUNTING_BENCH_SERVICE=10000 python bench/bench_service.py [sqlite|postgres]` prints one JSON line.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, timer  # noqa: E402

N = int(os.environ.get("YUNTING_BENCH_SERVICE", "10000"))
HISTORY_ATTEMPTS = int(os.environ.get("YUNTING_BENCH_SERVICE_HISTORY", "1000000"))
PEOPLE = max(N * 20, 1000)
PER_CASE = 5
PG_URL = os.environ.get("YUNTING_BENCH_PG", "postgres://postgres@127.0.0.1:5432/yunting_bench")


def _id_number(n: int) -> str:
    from yunting.kernel.security.identifiers import ric_check_char

    first = f"440306{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    first = first[:14] + f"{(n // 1000) % 1000:03d}"
    return first + ric_check_char(first)


def main(db: str) -> dict:
    vendor = setup_django(PG_URL if db == "postgres" else None)
    from django.db import connection, transaction

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open_many
    from yunting.core.journal.services import DocumentInput
    from yunting.core.service import services as svc
    from yunting.core.service.models import Consent, ContactPoint, ServiceTask
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf

    svc._enqueue_sms = lambda ids: None  # the gateway hand-off is the background worker's, not timed here
    rng = random.Random(169)
    orgs, users = cast_ensure(password="bench-pass-123")
    court, case_type, cause = orgs["court"], CaseType.objects.get(code="民初"), Cause.objects.get(name="民间借贷纠纷")
    blob = blob_put_bytes(simple_pdf(title="起诉状", body="原告诉被告民间借贷纠纷。"))
    doc = DocumentInput(sha256=blob.sha256, title="起诉状", kind="complaint")
    cases_n = N // PER_CASE
    cases = []
    for start in range(0, cases_n, 500):
        items = [CaseInput(court=court, case_type=case_type, cause=cause,
                           participants=[(users["judge"], "presiding_judge")], parties=[
            PartyInput(role="plaintiff", kind="legal", name="天津河西农商银行"),
            *[PartyInput(role="defendant", kind="natural", name=f"借款人{c * PER_CASE + k}",
                         id_number=_id_number(c * PER_CASE + k), phone=f"13{rng.randint(100000000, 999999999)}",
                         address=f"天津市河西区友谊路 {c}-{k} 号") for k in range(PER_CASE)]])
            for c in range(start, min(start + 500, cases_n))]
        cases += case_open_many(items=items, actor=users["filing_officer"], documents_of=[[doc]] * len(items))
    recipients = {c.pk: list(c.parties.filter(role="defendant").order_by("id")) for c in cases}
    documents = {c.pk: c.documents.values_list("pk", flat=True).first() for c in cases}
    # the address history: every recipient is among PEOPLE persons whose contacts carry the past attempts
    keys = [svc.identity_key(p) for ps in recipients.values() for p in ps]
    keys += [f"{i:064x}" for i in range(PEOPLE - len(keys))]
    rows, spent = [], 0
    per_person = HISTORY_ATTEMPTS / PEOPLE
    for i, key in enumerate(keys):
        for kind, value in (("phone", f"13{i:09d}"), ("address", f"地址{i}"), ("account", f"user:{10**6 + i}")):
            if kind == "account" and i % 3:
                continue
            n = rng.randint(0, int(per_person))
            bad = rng.random() < 0.15
            rows.append(ContactPoint(identity_key=key, kind=kind, value=value, delivered_count=0 if bad else n,
                                     failed_count=n if bad else rng.randint(0, 1),
                                     recent=("f" if bad else "s") * min(n, 10), source="service"))
            spent += n
    with transaction.atomic():
        ContactPoint.objects.bulk_create(rows, batch_size=5000)
    consenting = [p for ps in recipients.values() for p in ps if rng.random() < 0.6]
    with transaction.atomic():
        Consent.objects.bulk_create([Consent(case_id=p.case_id, party=p, form="pleading", channels=["sms"],
                                             given_at=cases[0].registered_at) for p in consenting], batch_size=2000)
    profile = None
    if os.environ.get("YUNTING_BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    cpu0 = time.process_time()
    with timer() as t_plan:
        tasks = []
        for start in range(0, len(cases), 200):
            for made in svc.service_request_many(items=[
                    svc.RequestItem(c, [documents[c.pk]], recipients[c.pk]) for c in cases[start:start + 200]],
                    actor=users["judge"]):
                tasks += made
    sms = [t for t in tasks if t.current_channel == "sms"]
    post = [t for t in tasks if t.current_channel != "sms"]
    with timer() as t_dispatch:
        sent = 0
        for start in range(0, len(sms), 500):
            sent += len(svc.service_bulk_dispatch(tasks=sms[start:start + 500], channel="sms",
                                                  actor=users["service_officer"]).sent)
        for start in range(0, len(post), 500):
            part = post[start:start + 500]
            sent += len(svc.service_bulk_dispatch(tasks=part, channel="post", actor=users["service_officer"],
                                                  tracking_numbers={t.pk: f"EA{t.pk:09d}CN" for t in part}).sent)
    assert sent == N == ServiceTask.objects.filter(status="in_progress").count(), (sent, N)
    cpu = time.process_time() - cpu0
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.environ["YUNTING_BENCH_PROFILE"])
    with timer() as t_one:  # a judge's one click: one case, five recipients, through the same path
        for c in cases[:20]:
            svc.service_request(case=c, documents=[documents[c.pk]], recipients=recipients[c.pk], actor=users["judge"])
    reasons = sum(1 for t in tasks if any("失败" in s["reason"] or "均" in s["reason"] for s in t.plan))
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM service_contactpoint")
        history_rows = cur.fetchone()[0]
    return {
        "database": vendor, "machine": machine(), "tasks": N, "history_attempts": spent,
        "history_rows": history_rows, "sms": len(sms), "post": len(post),
        "plans_with_history_reason": reasons,
        "plan_s": round(t_plan["s"], 2), "dispatch_s": round(t_dispatch["s"], 2),
        "plan_and_dispatch_s": round(t_plan["s"] + t_dispatch["s"], 2),
        "tasks_planned_per_s": round(N / t_plan["s"], 1), "tasks_dispatched_per_s": round(N / t_dispatch["s"], 1),
        "plan_and_dispatch_cpu_s": round(cpu, 2), "load_average_1min": round(os.getloadavg()[0], 1),
        "one_click_request_ms": round(t_one["s"] / 20 * 1000, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite"), ensure_ascii=False))

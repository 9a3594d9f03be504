"""Batch filing, end to end on the real code paths: an institution's ZIP batch (JSON lines plus one small PDF
loan contract per record) is stored, validated record by record with its PDF content-checked and filed
(batch_process), then accepted in one click (filing_accept_batch: case numbers, parties, `case.registered` and
`filing.accepted` journal entries with their ledger leaves, the contracts filed into each e-file). What runs in
background tasks afterwards is measured on its own, on samples: acceptance notices (受理通知书, a WeasyPrint PDF
each) and the text extraction of the filed PDFs for search.

`YUNTING_BENCH_FILINGS=10000 python bench/bench_filing.py [sqlite|postgres]` (default 10000, SQLite) prints one
JSON line.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, timer  # noqa: E402

N = int(os.environ.get("YUNTING_BENCH_FILINGS", "10000"))
PG_URL = os.environ.get("YUNTING_BENCH_PG", "postgres://postgres@127.0.0.1:5432/yunting_bench")
TEXT_SAMPLE = int(os.environ.get("YUNTING_BENCH_TEXTS", "200"))
BAD_RATE = 37 / 10_000
NOTICE_SAMPLE = int(os.environ.get("YUNTING_BENCH_NOTICES", "40"))
DELIVERY_SAMPLE = int(os.environ.get("YUNTING_BENCH_DELIVERIES", "200"))


def _record(i: int, rng: random.Random) -> dict:
    from yunting.workflows.filing.demo import bank_loan_record

    record = bank_loan_record(rng, external_id=f"LN-{i:07d}", contract_no=f"JK{i:08d}", principal=(5_000, 500_000))
    record["documents"] = [{"path": f"LN-{i:07d}/借款合同.pdf", "title": "个人借款合同", "kind": "evidence"}]
    if rng.random() < BAD_RATE:
        record.update(rng.choice([{"claim_amount": "十万"}, {"claims": []}, {"external_id": ""},
                                  {"cause": "未知案由"}]))
    return record


def _contract_template() -> tuple[bytes, bytes]:
    """A one-page loan contract PDF (reportlab, uncompressed) with a fixed-width contract number in it: each
    record's PDF is the template with its own number written over that one, so 10,000 distinct, valid PDFs
    cost no rendering (same length, so the cross-reference offsets stay right)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from yunting.kernel.pdf.make import _font

    marker = b"JK99999999"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0, invariant=1)
    c.setFont(_font(), 18)
    c.drawString(200, 780, "个人借款合同")
    c.setFont("Helvetica", 11)
    c.drawString(380, 750, marker.decode())
    c.setFont(_font(), 11)
    for n, line in enumerate(["出借人：深圳市宝安农商银行", "借款人：见本合同附件借款人信息", "借款金额、期限、利率及还款方式详见借款借据。",
                              "借款人未按约定还款的，出借人有权宣布借款提前到期并要求借款人偿还全部本息。",
                              "本合同自双方签字盖章之日起生效。"]):
        c.drawString(72, 700 - 22 * n, line)
    c.showPage()
    c.save()
    pdf = buf.getvalue()
    assert pdf.count(marker) == 1
    return pdf, marker


def _zip(records: list[dict]) -> bytes:
    import io
    import zipfile

    template, marker = _contract_template()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("records.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
        for i in range(len(records)):
            zf.writestr(f"LN-{i:07d}/借款合同.pdf", template.replace(marker, f"JK{i:08d}".encode()))
    return buf.getvalue()


def main() -> None:
    database = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    # Journal subscribers (automatic assignment on acceptance, …) are background jobs: queued here as a
    # deployment queues them for its job workers, and timed on a sample below, not run inside the accept.
    vendor = setup_django(PG_URL if database == "postgres" else None, immediate_tasks=False)
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.workflows.filing import acceptance
    from yunting.workflows.filing.batches import batch_create, batch_process, institution_key_create
    from yunting.workflows.filing.models import Filing

    orgs, users = cast_ensure(password="bench-password-1")
    key, _ = institution_key_create(institution=orgs["bank"], court=orgs["court"])
    rng = random.Random(20261121)
    body = _zip([_record(i, rng) for i in range(N)])
    acceptance._enqueue_notices = lambda ids: None  # notices are measured on their own below
    import yunting.core.efile.services as efile_services

    efile_services._enqueue_text = lambda ids: None  # so is the text extraction of the filed PDFs

    import yunting.workflows.filing.batches as batches

    batches._enqueue = lambda batch_id: None  # processed here, in the foreground, to time it
    try:  # the sandboxed checkers start with the server (`yunting serve` warms them), not with the first batch
        from yunting.kernel.scan.sandbox import sandbox_warm
    except ImportError:
        pass
    else:
        sandbox_warm()
    with timer() as t_validate:
        batch = batch_create(key=key, body=body)
        batch = batch_process(batch_id=batch.pk)
    with timer() as t_accept:
        result = acceptance.filing_accept_batch(actor=users["filing_officer"], court=orgs["court"], batch=batch)
    accepted = result["accepted"]
    sample = list(Filing.objects.filter(batch=batch, status="accepted").values_list("pk", flat=True)[:NOTICE_SAMPLE])
    with timer() as t_notice:
        statuses = [acceptance.filing_notice_issue(filing_id=i) for i in sample]
    from yunting.core.efile.models import Document
    from yunting.core.efile.services import efile_extract_pending

    pending_texts = Document.objects.filter(text_extracted_at__isnull=True).count()
    with timer() as t_text:
        extracted = efile_extract_pending(limit=TEXT_SAMPLE)
    from yunting.core.journal.models import Delivery
    from yunting.core.journal.tasks import deliver_entry

    pending = list(Delivery.objects.filter(status="pending").order_by("id").values_list("entry_id", "subscriber"))
    with timer() as t_deliver:
        for entry_id, subscriber in pending[:DELIVERY_SAMPLE]:
            deliver_entry.call(entry_id=entry_id, subscriber=subscriber)
    delivered = min(len(pending), DELIVERY_SAMPLE)
    total = t_validate["s"] + t_accept["s"]
    print(json.dumps({
        "database": vendor, "machine": machine(), "records": N, "zip_bytes": len(body), "pdfs": N,
        "filed": batch.filed, "invalid": batch.invalid, "accepted": accepted, "accept_failures": len(result["failed"]),
        "validate_and_file_s": round(t_validate["s"], 2),
        "records_validated_per_s": round(N / t_validate["s"], 1),
        "accept_s": round(t_accept["s"], 2), "cases_accepted_per_s": round(accepted / t_accept["s"], 1),
        "end_to_end_cases_per_s": round(accepted / total, 1),
        "validate_cpu_ms_per_record": round(1000 * t_validate["cpu"] / N, 3),
        "accept_cpu_ms_per_case": round(1000 * t_accept["cpu"] / max(accepted, 1), 3),
        "e_file_documents": Document.objects.filter(kind="evidence").count(),
        "notices_rendered": statuses.count("done"), "notices_per_s": round(len(sample) / t_notice["s"], 2),
        "texts_pending_after_accept": pending_texts, "texts_extracted_sample": extracted,
        "texts_extracted_per_s": round(extracted / t_text["s"], 1) if extracted else None,
        "deliveries_queued": len(pending),
        "deliveries_per_s": round(delivered / t_deliver["s"], 1) if delivered else None,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()

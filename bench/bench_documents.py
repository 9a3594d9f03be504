"""Court papers: documents rendered per second, signatures per second, validations per second, and the
throughput of a batch-sealing job (each paper sealed, stored, journaled and filed into the e-file).

`python bench/bench_documents.py [--batch N]` prints one JSON line. Real code paths only: WeasyPrint, pyHanko,
the journal and the e-file recorder on SQLite.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django, timer  # noqa: E402

RENDER_ROUNDS = 2  # every template, this many times


def bench_render() -> dict:
    from yunting.kernel.documents.render import render_pdf
    from yunting.kernel.documents.samples import SAMPLES

    with timer() as cold:
        render_pdf("summons", SAMPLES["summons"])  # font loading, first layout
    n = 0
    with timer() as t:
        for _ in range(RENDER_ROUNDS):
            for code, values in SAMPLES.items():
                render_pdf(code, values)
                n += 1
    with timer() as j:
        for _ in range(5):
            render_pdf("judgment", SAMPLES["judgment"])
    return {"render_first_s": round(cold["s"], 2), "renders": n, "renders_per_s": round(n / t["s"], 2),
            "judgment_render_ms": round(1000 * j["s"] / 5, 1)}


def _stsong_pdf(title: str, body: str, pages: int) -> bytes:
    """The filing's papers as they were made before fonts were embedded (reportlab, built-in STSong-Light), kept
    here only to measure what embedding costs."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from yunting.kernel.pdf.make import _font, _wrap

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    font, (w, h), lines = _font(), A4, _wrap(body, 34)
    for page in range(pages):
        c.setFont(font, 20)
        c.drawCentredString(w / 2, h - 30 * mm, title)
        c.setFont(font, 12)
        y = h - 55 * mm
        for line in lines[page * 30:(page + 1) * 30]:
            c.drawString(28 * mm, y, line)
            y -= 7.5 * mm
        c.showPage()
    c.save()
    return buf.getvalue()


def bench_simple_papers() -> dict:
    """The filing's generated 起诉状 (2 pages) with the font embedded — common characters (reportlab + the bundled
    TrueType subset) and a name with a rare character (WeasyPrint + the system Noto CJK) — against the old
    non-embedded STSong-Light reportlab PDF; rendered once per online submission."""
    from yunting.kernel.pdf.make import simple_pdf

    body = "原告张伟，男，1985年3月2日出生。被告李娜。诉讼请求：判令被告偿还借款本金人民币十万元及利息。\n" * 35
    rare = body.replace("张伟", "王堃")  # 堃 is outside GB 2312
    simple_pdf(title="民事起诉状", body=body, pages=2)  # warm: fonts loaded
    simple_pdf(title="民事起诉状", body=rare, pages=2)
    n = 20
    with timer() as emb:
        for _ in range(n):
            pdf = simple_pdf(title="民事起诉状", body=body, pages=2)
    with timer() as slow:
        for _ in range(5):
            pdf_rare = simple_pdf(title="民事起诉状", body=rare, pages=2)
    with timer() as old:
        for _ in range(n):
            before = _stsong_pdf("民事起诉状", body, 2)
    return {"complaint_embedded_ms": round(1000 * emb["s"] / n, 1), "complaint_embedded_kb": len(pdf) // 1024,
            "complaint_rare_char_embedded_ms": round(1000 * slow["s"] / 5, 1),
            "complaint_rare_char_embedded_kb": len(pdf_rare) // 1024,
            "complaint_stsong_unembedded_ms": round(1000 * old["s"] / n, 1),
            "complaint_stsong_unembedded_kb": len(before) // 1024}


def bench_sign(pki_certs) -> dict:
    from yunting.kernel.documents.render import render_pdf
    from yunting.kernel.documents.samples import SAMPLES
    from yunting.kernel.documents.signing import pki, stamps
    from yunting.kernel.documents.signing.sign import SignRequest, pdf_sign
    from yunting.kernel.documents.signing.validate import pdf_validate

    pdf = render_pdf("withdrawal_ruling", SAMPLES["withdrawal_ruling"]).pdf
    n = 50
    with timer() as inv:
        for _ in range(n):
            pdf_sign(pdf, cert=pki_certs["judge"], request=SignRequest("judge"))
    with timer() as vis:
        for _ in range(n):
            pdf_sign(pdf, cert=pki_certs["judge"], request=SignRequest(
                "judge", image=stamps.person_stamp(name="王立明", caption="审判员 2026-11-21 10:00")))
    with timer() as seal:
        for _ in range(n):
            pdf_sign(pdf, cert=pki_certs["seal"], request=SignRequest(
                "seal", image=stamps.seal_stamp(court_name="深圳市宝安区人民法院")))
    signed = pdf
    for field, cert in (("judge", "judge"), ("clerk", "clerk"), ("seal", "seal")):
        signed = pdf_sign(signed, cert=pki_certs[cert], request=SignRequest(field))
    trust = pki.pki_trust()
    with timer() as val:
        for _ in range(20):
            assert pdf_validate(signed, trust=trust).ok
    return {"signatures_per_s_invisible": round(n / inv["s"], 1),
            "signatures_per_s_visible": round(n / vis["s"], 1),
            "seals_per_s": round(n / seal["s"], 1),
            "validations_per_s_3_signatures": round(20 / val["s"], 1)}


def bench_batch(batch: int) -> dict:
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open
    from yunting.core.papers.batch import seal_job_create, seal_job_process
    from yunting.core.papers.models import Paper, PaperStatus
    from yunting.core.papers.services import paper_draft, paper_issue, paper_sign
    from yunting.interfaces.cli.cast import cast_ensure

    orgs, users = cast_ensure(password="bench-password-1")
    cases = [case_open(data=CaseInput(
        court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
        parties=[PartyInput(role="plaintiff", kind="natural", name=f"原告{i}"),
                 PartyInput(role="defendant", kind="natural", name=f"被告{i}")],
        participants=[(users["judge"], "judge"), (users["clerk"], "clerk")]), actor=users["filing_officer"])
        for i in range(10)]
    # one paper rendered, issued and signed for real; the batch reuses its signed PDF (rendering is measured above)
    template = paper_draft(case=cases[0], template_code="withdrawal_ruling", actor=users["judge"], values={
        "withdraw_date": "2026-11-25", "reasoning": "原告撤诉的申请符合法律规定，应予准许。", "fee": "2300"})
    template = paper_sign(paper=paper_issue(paper=template, actor=users["judge"]), actor=users["clerk"])
    papers = Paper.objects.bulk_create(
        Paper(case=cases[i % len(cases)], template_code=template.template_code, title=template.title,
              kind=template.kind, status=PaperStatus.ISSUED, variables=template.variables,
              pdf_sha256=template.pdf_sha256, signed_slots=["judge", "clerk"], created_by=users["judge"],
              issued_by=users["judge"], issued_at=template.issued_at)
        for i in range(batch))
    # the job runs as a django-tasks task; the bench runs tasks immediately, so create() returns when it is done
    with timer() as t:
        job = seal_job_create(actor=users["court_admin"], court=orgs["court"], paper_ids=[p.pk for p in papers])
        job = seal_job_process(job.pk)  # a no-op when the task already ran; does the work otherwise
    return {"batch_papers": batch, "batch_sealed": job.sealed, "batch_failed": job.failed,
            "batch_seconds": round(t["s"], 1), "batch_papers_per_s": round(batch / t["s"], 1)}


def main() -> None:
    import logging

    logging.getLogger("pyhanko").setLevel(logging.ERROR)  # stamp layout rounding notices
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    vendor = setup_django()
    from yunting.kernel.documents.signing import pki

    pki.pki_init(organisation="深圳市宝安区人民法院")
    certs = {
        "judge": pki.pki_issue(kind="person", label="bench:judge", common_name="王立明"),
        "clerk": pki.pki_issue(kind="person", label="bench:clerk", common_name="刘晓燕"),
        "seal": pki.pki_issue(kind="seal", label="bench:seal", common_name="深圳市宝安区人民法院"),
    }
    result = {"bench": "documents", "db": vendor, "machine": machine()}
    result |= bench_render()
    result |= bench_simple_papers()
    result |= bench_sign(certs)
    result |= bench_batch(args.batch)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Issue 16: one-click archive of a 500-page case, on the real code path.

A closed 民初 case with 50 documents of 10 pages in the 正卷 (500 pages) and a 10-page trial report in the 副卷;
`archive_case` writes both BagIt packages (documents copied, cover / item catalogue / 备考表 rendered with fonts
embedded, one inclusion proof per document under one signed tree head, signed manifest) and journals the act.
Measured: seconds and megabytes of the packages, `yunting verify DIR` (offline check) seconds, and one
watermarked download of a 100-page document (remote reading).

`python bench/bench_archive.py` prints a Markdown table (SQLite; the work is files and PDFs, not queries).
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django  # noqa: E402

DOCUMENTS, PAGES_EACH = 50, 10


def main() -> None:
    setup_django()
    from datetime import date

    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open
    from yunting.core.courts.services import case_close
    from yunting.core.efile.models import Document
    from yunting.core.journal.services import DocumentInput, journal_append
    from yunting.interfaces.cli.cast import cast_ensure
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.pdf.make import simple_pdf
    from yunting.workflows.archive.bagcheck import verify_package
    from yunting.workflows.archive.services import archive_case, reading_download

    orgs, users = cast_ensure(password="bench-password-1")
    case = case_open(data=CaseInput(
        court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
        parties=[PartyInput(role="plaintiff", kind="natural", name="张伟", user=users["plaintiff"]),
                 PartyInput(role="defendant", kind="natural", name="李娜")],
        participants=[(users["judge"], "judge"), (users["clerk"], "clerk")]), actor=users["filing_officer"])
    kinds = ("evidence", "complaint", "defence", "hearing_transcript", "judgment")
    for i in range(DOCUMENTS):
        body = "\n".join(f"第{i + 1}号材料 第{n}行 借款合同约定的还款期限届满后被告未按约还款。" for n in range(300))
        blob = blob_put_bytes(simple_pdf(title=f"材料{i + 1}", subtitle=case.number, body=body, pages=PAGES_EACH))
        journal_append(case=case, kind="efile.submitted", actor=users["judge"],
                       documents=[DocumentInput(sha256=blob.sha256, title=f"材料{i + 1}", kind=kinds[i % len(kinds)])])
    blob = blob_put_bytes(simple_pdf(title="审理报告", subtitle=case.number, body="合议意见", pages=10))
    journal_append(case=case, kind="efile.submitted", actor=users["judge"],
                   documents=[DocumentInput(sha256=blob.sha256, title="审理报告", kind="trial_report")])
    case_close(case=case, actor=users["judge"], outcome="judgment", closed_on=date.today(), document=None, title="判决")
    case.refresh_from_db()

    out = Path(tempfile.mkdtemp(prefix="bench-archive-"))
    start = time.perf_counter()
    built = archive_case(case=case, actor=users["archivist"], retention="permanent", security_level="internal",
                         out=out)
    build_s = time.perf_counter() - start
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    start = time.perf_counter()
    checks = [verify_package(b.path) for b in built]
    verify_s = time.perf_counter() - start
    assert all(c.ok for c in checks), [c.problem for c in checks]

    big = blob_put_bytes(simple_pdf(title="卷宗材料", subtitle=case.number, body="材料" * 2000, pages=100))
    doc = Document(case=case, blob_id=big.sha256, title="卷宗材料", kind="evidence", page_count=100)
    doc.blob = big
    start = time.perf_counter()
    reading_download(user=users["lawyer"], document=doc, out=io.BytesIO())
    watermark_s = time.perf_counter() - start

    main_volume = next(b for b in built if b.volume == "main")
    rows = [
        ("正卷 documents / pages", f"{main_volume.documents} / {main_volume.pages}"),
        ("**archive build, both volumes (seconds)**", f"{build_s:.2f}"),
        ("packages on disk (MB)", f"{size / 1e6:.1f}"),
        ("offline verify of both packages (seconds)", f"{verify_s:.2f}"),
        ("watermarked download, 100 pages (seconds)", f"{watermark_s:.2f}"),
    ]
    print("\n".join(["| measure | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]))


if __name__ == "__main__":
    main()

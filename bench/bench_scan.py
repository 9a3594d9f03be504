"""Upload checks against the hostile corpus and ordinary documents (issue 9 §2: bounded work per upload).

`python bench/bench_scan.py` prints a Markdown table: for every hostile sample of tests/hostile/corpus.py that
reaches the content checks, the time to refuse it and the peak memory the check added (each in a fresh child
process: the peak of Python's allocations during a traced second run, and how far the process' RSS high-water
mark rose); then the time to check a normal 20-page PDF (born-digital,
and scanned), best of 5, with the share of the bounded pre-scan and structural pass. The checks run in-process
here, as in a sandbox worker, without the sandbox's process round trip.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _django() -> None:
    os.environ.setdefault("YUNTING_DATA_DIR", tempfile.mkdtemp(prefix="yunting-bench-scan-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("en")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(name: str) -> dict:
    """In a child: refuse one hostile sample; seconds and the peak RSS it added."""
    _django()
    from tests.hostile import corpus
    from yunting.kernel.blobs.sniff import sniff_mime
    from yunting.kernel.scan import inspect_document

    [data] = [make() for n, make, _c in corpus.samples() if n == name]
    inspect_document(corpus.one_page(), "application/pdf", max_text_pages=0)  # imports and caches warmed
    import tracemalloc

    base = _rss_mb()
    started = time.perf_counter()
    result = inspect_document(data, sniff_mime(data[:8192]), max_text_pages=0)
    seconds = time.perf_counter() - started
    rss = max(0.0, _rss_mb() - base)
    tracemalloc.start()  # a second run, traced: the peak of what Python allocated (inflated chunks included)
    inspect_document(data, sniff_mime(data[:8192]), max_text_pages=0)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"name": name, "size_kb": round(len(data) / 1024), "seconds": round(seconds, 3),
            "rss_added_mb": round(rss, 1), "peak_alloc_mb": round(peak / 1024 / 1024, 1),
            "codes": sorted(str(p.code) for p in result.problems)}


def _twenty_pages() -> dict[str, bytes]:
    import io

    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from yunting.kernel.pdf.make import simple_pdf

    text = simple_pdf(title="民事起诉状", subtitle="原告 张三",
                      body="诉讼请求：判令被告归还借款本金人民币十万元，并支付逾期利息。事实与理由：" * 160, pages=20)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for page in range(20):
        sheet = Image.new("L", (1240, 1754), 245)
        draw = ImageDraw.Draw(sheet)
        for row in range(30):
            draw.rectangle((140, 200 + row * 45, 1000 - (row * 37 + page * 11) % 300, 226 + row * 45), fill=30)
        jpeg = io.BytesIO()
        sheet.save(jpeg, "JPEG", quality=80)
        c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, *A4)
        c.showPage()
    c.save()
    return {"20-page text PDF": text, "20-page scanned PDF (150 dpi JPEG)": buf.getvalue()}


def normal() -> list[dict]:
    from yunting.kernel.scan import inspect_document, pdfguard

    rows = []
    for name, data in _twenty_pages().items():
        inspect_document(data, "application/pdf", max_text_pages=0)
        total, guard = [], []
        for _ in range(5):
            started = time.perf_counter()
            result = inspect_document(data, "application/pdf", max_text_pages=0)
            total.append(time.perf_counter() - started)
            started = time.perf_counter()
            problems, hint = pdfguard.prescan(data)
            pdfguard.structure(data, active_hint=hint)  # (problems, born-digital page count)
            guard.append(time.perf_counter() - started)
        assert result.ok and result.pages == 20, result.problems
        rows.append({"name": name, "size_kb": round(len(data) / 1024), "seconds": round(min(total), 3),
                     "guard_seconds": round(min(guard), 3)})
    return rows


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2])))
        return
    _django()
    from tests.hostile import corpus
    from yunting.kernel.blobs.sniff import ALLOWED_MIME_TYPES, sniff_mime

    names = [n for n, d, _c in corpus.corpus()
             if (m := sniff_mime(d[:8192])) in ALLOWED_MIME_TYPES and m != "application/zip"]  # what gets checked
    rows = []
    for name in names:
        out = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True, cwd=ROOT,
                             timeout=600)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    lines = ["| hostile sample | size | refused as | seconds | peak allocated by the check | RSS high-water added |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['size_kb']} KB | {', '.join(r['codes'])} | {r['seconds']} | "
                     f"{r['peak_alloc_mb']} MB | {r['rss_added_mb']} MB |")
    lines.append(f"| **all {len(rows)} refused** | | | **{round(sum(r['seconds'] for r in rows), 2)}** | "
                 f"max **{max(r['peak_alloc_mb'] for r in rows)} MB** | max {max(r['rss_added_mb'] for r in rows)} MB |")
    lines += ["", "| ordinary document (`inspect_document` as the intake calls it), best of 5 | size | seconds | "
              "of which bounded pre-scan + structure |", "|---|---|---|---|"]
    for r in normal():
        lines.append(f"| {r['name']} | {r['size_kb']} KB | {r['seconds']} | {r['guard_seconds']} |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

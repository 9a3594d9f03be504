"""Demo: in a civil case the demo clerk works, a case cover sheet and a submission cover sheet (答辩状, 1 page)
printed, a station batch scanned by the demo scanning staff (cover, defence with its blank back, cover, a
service receipt) and recognised by the background jobs, and two paper originals in the store, one lent to the
judge (so the pre-archive check has something to say). Idempotent: a case that has originals is left alone.
The batch is uploaded only where a job worker recognises it in the background (`yunting serve`'s worker): with
inline jobs (tests, CI) the demo would spend its time in OCR, so there the cover sheets are printed but not
scanned."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.models import Case

from .models import CoverSheet, Original
from .selectors import cover_sheet_pdf
from .services import cover_sheet_create, original_move, original_register, scan_batch_receive

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _page(lines: list[str]):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (827, 1165), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 38)
    for i, line in enumerate(lines):
        draw.text((70, 110 + i * 80), line, font=font, fill=20)
    return image


def _batch_pdf(images) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from yunting.kernel.pdf.make import COMMON_FONT, _common_font

    _common_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, initialFontName=COMMON_FONT)
    for image in images:
        w, h = image.width * 72 / 200, image.height * 72 / 200
        c.setPageSize((w, h))
        data = io.BytesIO()
        image.save(data, "JPEG", quality=90)
        data.seek(0)
        c.drawImage(ImageReader(data), 0, 0, w, h)
        c.showPage()
    c.save()
    return buf.getvalue()


def _inline_jobs() -> bool:
    from django.conf import settings

    return "Immediate" in settings.TASKS["default"]["BACKEND"]


def scanning_demo(*, orgs, users, progress: Callable[[str], None] = lambda s: None) -> dict:
    from yunting.kernel.ocr import render_page

    clerk = users["clerk"]
    case = (Case.objects.filter(court=orgs["court"], case_type_id="民初", participations__user=clerk)
            .exclude(security_level="secret").order_by("id").first())
    if case is None or Original.objects.filter(case=case).exists():
        progress("scanning demo already present (or no case): nothing to add")
        return {"created": False}
    access = access_case_for(clerk, case.pk, need=Capability.WRITE_JOURNAL)
    lent = original_register(access=access, actor=clerk, description="借条原件 1 张", location="A-01-1")
    original_register(access=access, actor=clerk, description="银行转账凭证原件 3 张", location="A-01-2")
    original_move(access=access, actor=clerk, original=lent, action="lend", holder=users["judge"],
                  reason="合议庭核对借条原件")
    if FONT.exists() and not CoverSheet.objects.filter(case=case).exists() and not _inline_jobs():
        case_sheet = cover_sheet_create(access=access, actor=clerk)
        defence = cover_sheet_create(access=access, actor=clerk, kind="defence", title="李娜民事答辩状", declared_pages=1)
        images = [render_page(cover_sheet_pdf(defence), 1, dpi=200),
                  _page(["民事答辩状", "答辩人对原告的借款请求不予认可", "借款已于二〇二六年三月全部归还"]),
                  _page([]),
                  render_page(cover_sheet_pdf(case_sheet), 1, dpi=200),
                  _page(["送达回证", f"案号 {case.number}", "送达文书 传票 应诉通知书"])]
        batch = scan_batch_receive(user=users["scanner"], station="立案大厅 1 号扫描仪",
                                   streams=[SimpleUploadedFile("demo-batch.pdf", _batch_pdf(images))])
        progress(f"scanning: batch {batch.pk} for {case.number} ({batch.get_status_display()}); originals 2 (1 lent)")
    return {"created": True, "case": case.number}

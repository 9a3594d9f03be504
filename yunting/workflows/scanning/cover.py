"""Cover sheets: the printed page in front of paper to be scanned. Its QR code carries a signed token (Django's
signing with the court's SECRET_KEY and a salt of its own): a sheet cannot be forged or guessed, and its row id
alone means nothing. The PDF embeds its font (the bundled common-characters subset), like every PDF we make."""

from __future__ import annotations

import io

from django.core import signing
from django.utils import timezone

QR_PREFIX = "YTSCAN1:"
SALT = "yunting.scanning.cover"


def cover_token(sheet_id: int) -> str:
    return QR_PREFIX + signing.dumps({"s": sheet_id}, salt=SALT, compress=True)


def cover_token_read(text: str) -> int | None:
    """The sheet id a QR text names, or None when it is not one of our cover sheets or its signature fails."""
    if not text.startswith(QR_PREFIX):
        return None
    try:
        data = signing.loads(text[len(QR_PREFIX):], salt=SALT)
    except signing.BadSignature:
        return None
    sheet = data.get("s") if isinstance(data, dict) else None
    return sheet if isinstance(sheet, int) else None


def cover_pdf(*, sheet, case, court_name: str, kind_label: str) -> bytes:
    """One A4 page: heading, case number and title, what the submission is and its declared pages, the QR code,
    the original's barcode, and what to do with the sheet."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode import code128
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from yunting.kernel.pdf.make import COMMON_FONT, _common_font

    _common_font()
    covered = _common_font()

    def safe(text: str) -> str:  # a rare character in a party's name is shown as ○ rather than a blank glyph
        return "".join(ch if ord(ch) in covered or ch.isspace() else "○" for ch in text)

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, initialFontName=COMMON_FONT, initialFontSize=12)
    heading = "材料扫描封面" if sheet.kind else "案件扫描封面"
    c.setTitle(f"{heading} {case.number}")
    w, h = A4
    c.setFont(COMMON_FONT, 22)
    c.drawCentredString(w / 2, h - 30 * mm, safe(court_name))
    c.drawCentredString(w / 2, h - 42 * mm, heading)
    size = 70 * mm
    qr = QrCodeWidget(cover_token(sheet.pk), barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, c, (w - size) / 2, h - 125 * mm)
    rows = [("案号", case.number), ("案件名称", case.title)]
    if sheet.kind:
        rows += [("材料", sheet.title or kind_label), ("类别", kind_label),
                 ("申报页数", f"{sheet.declared_pages} 页" if sheet.declared_pages else "未申报")]
    rows += [("原件条码", sheet.barcode), ("打印时间", timezone.localtime(sheet.created_at).strftime("%Y-%m-%d %H:%M"))]
    y = h - 140 * mm
    for label, value in rows:
        c.setFont(COMMON_FONT, 13)
        c.drawString(35 * mm, y, safe(label))
        c.drawString(65 * mm, y, safe(str(value))[:34])
        y -= 10 * mm
    barcode = code128.Code128(sheet.barcode, barHeight=14 * mm, barWidth=0.4 * mm)
    barcode.drawOn(c, (w - barcode.width) / 2, y - 12 * mm)
    c.setFont(COMMON_FONT, 11)
    c.drawCentredString(w / 2, 30 * mm, "请将本页放在材料第一页之前一并扫描；扫描后纸质原件交中间库保管。")
    c.drawCentredString(w / 2, 22 * mm, "本页二维码经法院签名，不得复印他用。")
    c.showPage()
    c.save()
    return buf.getvalue()

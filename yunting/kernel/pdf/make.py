"""Simple, real PDFs with Chinese text, fonts embedded: the filing's generated 起诉状 and 证据目录, demo data, tests.

Court papers proper are rendered from templates by the documents module. `_font` (reportlab's built-in,
non-embedded STSong-Light) is kept only for tests that draw deliberately odd PDFs with reportlab.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        while len(para) > width:
            lines.append(para[:width])
            para = para[width:]
        lines.append(para)
    return lines


PAGE_CSS = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; color: #000; }
section { position: relative; height: 297mm; page-break-after: always; overflow: hidden; }
section:last-child { page-break-after: auto; }
h1 { position: absolute; top: 22mm; left: 0; right: 0; text-align: center; font-size: 20pt; font-weight: normal;
     margin: 0; }
.sub { position: absolute; top: 37mm; right: 25mm; font-size: 12pt; margin: 0; }
.body { position: absolute; top: 50mm; left: 28mm; right: 15mm; font-size: 12pt; }
.body p { margin: 0; height: 7.5mm; line-height: 7.5mm; white-space: pre; }
footer { position: absolute; bottom: 12mm; left: 0; right: 0; text-align: center; font-size: 9pt; }
"""


def simple_pdf(*, title: str, subtitle: str = "", body: str = "", pages: int = 1) -> bytes:
    """A plain A4 paper: title, optional subtitle (a case number), the body wrapped at 34 characters, 30 lines
    a page, "第 n 页 共 N 页" at the foot. Exactly `pages` pages; the same input gives the same bytes.

    Rendered by WeasyPrint with the Noto CJK font embedded (subset), so it displays the same everywhere and can
    be archived: no viewer has to supply a font (a non-embedded STSong-Light renders blank without poppler-data).
    """
    from html import escape

    from yunting.kernel.documents.render import html_to_pdf

    lines = _wrap(body, 34)
    per_page = 30
    head = f"<h1>{escape(title)}</h1>" + (f'<p class="sub">{escape(subtitle)}</p>' if subtitle else "")
    sections = []
    for page in range(pages):
        chunk = lines[page * per_page:(page + 1) * per_page]
        text = "".join(f"<p>{escape(line) or '&#160;'}</p>" for line in chunk)
        sections.append(f'<section>{head}<div class="body">{text}</div>'
                        f"<footer>第 {page + 1} 页 共 {pages} 页</footer></section>")
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{PAGE_CSS}</style></head><body>{''.join(sections)}</body></html>")
    return html_to_pdf(html)[0]

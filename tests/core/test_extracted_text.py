"""A filed PDF whose text extracts with NUL characters (a glyph mapped to nothing: PDFs made without their fonts
do this) is still filed, and its text saved and searchable — PostgreSQL refuses NUL in a text column."""

import io

import pikepdf

from yunting.core.efile.models import Document
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.kernel.blobs.store import blob_put_bytes
from yunting.kernel.search.engine import search_ids

CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /NulMap def 1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfchar <41> <0000> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _pdf_with_a_nul_glyph() -> bytes:
    """"Contract ACME" on one page, where the font's ToUnicode maps "A" to U+0000."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        ToUnicode=pdf.make_stream(CMAP)))
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(b"BT /F1 14 Tf 72 760 Td (Contract ACME) Tj ET")))
    pdf.pages.append(page)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_text_with_nul_glyphs_is_saved_without_them(make_case, users):
    from yunting.core.efile.services import efile_extract_text

    case = make_case()
    blob = blob_put_bytes(_pdf_with_a_nul_glyph())
    entry = journal_append(case=case, kind="filing.submitted", actor=users["lawyer"], documents=[
        DocumentInput(sha256=blob.sha256, title="借款合同", kind="evidence")])
    document = Document.objects.select_related("blob").get(entry=entry)
    assert efile_extract_text([document]) == 1
    document.refresh_from_db()
    assert document.text_extracted_at is not None
    assert "\x00" not in document.text and "Contr" in document.text and "CME" in document.text
    assert document.pk in search_ids(scope="document", query="Contract")

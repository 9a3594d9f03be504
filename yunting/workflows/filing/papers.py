"""The papers a filing generates from its own form, so the e-file holds them from the first day: the complaint
(民事起诉状 / 行政起诉状 / 申请书) and the evidence list (证据目录). Plain PDFs with real Chinese text
(kernel.pdf.make), stored by content; ID numbers and phones are masked, as everywhere parties read."""

from __future__ import annotations

import math

from yunting.kernel.blobs.store import blob_put_bytes
from yunting.kernel.common.timeutil import shanghai_today
from yunting.kernel.pdf.make import simple_pdf
from yunting.kernel.security.masking import mask_id_number, mask_phone

from .models import Filing, FilingDocument
from .questionnaires import answers_text
from .validation import DOCUMENT_KINDS

ROLE = {"plaintiff": "原告", "defendant": "被告", "third_party": "第三人", "appellant": "上诉人",
        "appellee": "被上诉人", "applicant": "申请人", "respondent": "被申请人"}
LINES_PER_PAGE = 30
WIDTH = 34  # characters per line in simple_pdf


def complaint_title(filing: Filing) -> str:
    if filing.case_type_id == "民初":
        return "民事起诉状"
    if filing.case_type and filing.case_type.category == "administrative":
        return "行政起诉状"
    return "申请书"


def _party_line(p) -> str:
    bits = [f"{ROLE.get(p.role, p.role)}：{p.name}"]
    if p.id_number:
        bits.append(f"身份证号{mask_id_number(p.id_number)}")
    if p.credit_code:
        bits.append(f"统一社会信用代码{p.credit_code}")
    if p.address:
        bits.append(f"住{p.address}" if p.kind == "natural" else f"住所地{p.address}")
    if p.phone:
        bits.append(f"联系电话{mask_phone(p.phone)}")
    return "，".join(bits) + "。"


def complaint_text(filing: Filing) -> str:
    parties = list(filing.parties.all())
    lines = [_party_line(p) for p in parties]
    lines.append(f"案由：{filing.cause.name}")
    if filing.claim_amount is not None:
        lines.append(f"诉讼标的额：人民币{filing.claim_amount}元")
    lines.append("诉讼请求：")
    lines += [f"{i}. {c}" for i, c in enumerate(filing.claims, 1)]
    if filing.questionnaire:
        lines.append("要素表：")
        lines += answers_text(filing.cause.name, filing.questionnaire).split("\n")
    lines.append("事实与理由：")
    lines += [para.strip() for para in filing.facts.splitlines() if para.strip()]
    lines += ["此致", filing.court.name]
    first = [p.name for p in parties if p.role in ("plaintiff", "applicant", "appellant")]
    signer = "、".join(first)
    if filing.on_behalf_of_id and filing.filer_id:
        signer += f"（委托诉讼代理人：{filing.filer.display_name}）"
    lines.append(f"具状人：{signer}")
    today = shanghai_today()
    lines.append(f"{today.year}年{today.month}月{today.day}日")
    return "\n".join(lines)


def evidence_list_text(documents: list[FilingDocument]) -> str:
    lines = []
    for i, d in enumerate(documents, 1):
        lines.append(f"{i}. {d.title}（{DOCUMENT_KINDS.get(d.kind, d.kind)}，{d.blob.mime_type}，"
                     f"{math.ceil(d.blob.size / 1024)} KB）")
        lines.append(f"   SHA-256：{d.blob_id[:32]}")
        lines.append(f"   {d.blob_id[32:]}")
    lines.append(f"共 {len(documents)} 份。以上材料以 SHA-256 标识，可在云庭平台核验。")
    return "\n".join(lines)


def _pdf(title: str, text: str, subtitle: str = "") -> bytes:
    wrapped = sum(max(1, math.ceil(len(line) / WIDTH)) for line in text.split("\n"))
    return simple_pdf(title=title, subtitle=subtitle, body=text, pages=max(1, math.ceil(wrapped / LINES_PER_PAGE)))


def filing_generate_papers(filing: Filing, *, actor=None) -> list[FilingDocument]:
    """Replace the filing's generated papers with fresh ones (call in the submitting transaction).

    The complaint is generated unless the filer uploaded one of their own; the evidence list whenever there
    is evidence."""
    FilingDocument.objects.filter(filing=filing, generated=True).delete()
    uploaded = list(filing.documents.filter(generated=False).select_related("blob").order_by("id"))
    out = []
    if not any(d.kind == "complaint" for d in uploaded):
        title = complaint_title(filing)
        blob = blob_put_bytes(_pdf(title, complaint_text(filing)), allowed={"application/pdf"})
        out.append(FilingDocument(filing=filing, blob=blob, title=f"{title}（网上立案生成）", kind="complaint",
                                  filename=f"{title}.pdf", uploaded_by=actor, generated=True))
    evidence = [d for d in uploaded if d.kind != "complaint"]
    if evidence:
        blob = blob_put_bytes(_pdf("证据目录", evidence_list_text(evidence)), allowed={"application/pdf"})
        out.append(FilingDocument(filing=filing, blob=blob, title="证据目录", kind="evidence_list",
                                  filename="证据目录.pdf", uploaded_by=actor, generated=True))
    FilingDocument.objects.bulk_create(out)
    return out

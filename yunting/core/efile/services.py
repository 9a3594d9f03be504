from __future__ import annotations

from django.db.models import Q

from yunting.kernel.blobs.models import Blob
from yunting.kernel.blobs.store import blob_open
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.pdf.tools import pdf_info
from yunting.kernel.search.engine import search_index

from .models import CatalogSection, Document


def section_for(*, case_type_id: str, kind: str, section_code: str = "") -> CatalogSection:
    """The section a document kind files into for a case type; unknown kinds go to the main volume's 其他材料."""
    sections = CatalogSection.objects.filter(case_type_id=case_type_id)
    if section_code:
        found = sections.filter(code=section_code).first()
        if found is None:
            raise ValidationFailed("卷宗目录中没有该分类", code="efile_section", data={"section": section_code})
        return found
    for section in sections.order_by("volume", "code"):
        if kind in section.document_kinds:
            return section
    fallback = sections.filter(Q(document_kinds__contains="other") & Q(volume="main")).first()
    if fallback is None:
        fallback = sections.filter(volume="main").order_by("-code").first()
    if fallback is None:
        raise ValidationFailed("该案件类型没有卷宗目录", code="efile_no_catalog", data={"case_type": case_type_id})
    return fallback


def efile_record_documents(entry, documents) -> list[Document]:
    """Journal recorder: file each document an entry produced into its catalogue section (same transaction)."""
    case = entry.case
    created = []
    for doc in documents:
        blob = Blob.objects.filter(sha256=doc.sha256).first()
        if blob is None:
            raise ValidationFailed("文件尚未上传", code="efile_blob_missing", data={"sha256": doc.sha256})
        pages, text = 0, ""
        if blob.mime_type == "application/pdf":
            with blob_open(blob.sha256) as fh:
                pages, text = pdf_info(fh)
        document = Document.objects.create(
            case=case, blob=blob, title=doc.title, kind=doc.kind,
            section=section_for(case_type_id=case.case_type_id, kind=doc.kind, section_code=doc.section),
            entry=entry, page_count=pages, security_level=doc.security_level or case.security_level,
            filename=doc.filename[:255], text=text,
        )
        search_index(scope="document", object_id=document.pk, group_id=case.pk, text=f"{doc.title}\n{text}")
        created.append(document)
    return created

from __future__ import annotations

from django.utils.translation import gettext as _

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
            raise ValidationFailed(_("The e-file catalogue has no such section."), code="efile_section", data={"section": section_code})
        return found
    ordered = list(sections.order_by("volume", "code"))
    for section in ordered:
        if kind in section.document_kinds:
            return section
    for section in ordered:
        if section.volume == "main" and "other" in section.document_kinds:
            return section
    raise ValidationFailed(_("This case type has no e-file catalogue."), code="efile_no_catalog", data={"case_type": case_type_id})


def efile_record_documents(entry, documents) -> list[Document]:
    """Journal recorder: file each document an entry produced into its catalogue section (same transaction)."""
    case = entry.case
    created = []
    for doc in documents:
        blob = Blob.objects.filter(sha256=doc.sha256).first()
        if blob is None:
            raise ValidationFailed(_("The file has not been uploaded yet."), code="efile_blob_missing", data={"sha256": doc.sha256})
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


def efile_merged_pdf(*, case, out, include_secondary: bool) -> int:
    """Write the whole e-file as one PDF to `out`: one bookmark per non-empty section, one child per document.

    Sections are titled "正卷 · 01 起诉与受理" so the outline reads like the paper file's catalogue. Only PDFs
    that pypdf could read at filing time (page_count > 0) are merged; media files have no pages to add.
    The caller decides include_secondary from the case access. Returns the page count.
    """
    from contextlib import ExitStack

    from yunting.kernel.pdf.tools import Part, Section, pdf_merge_with_bookmarks

    from .selectors import efile_catalog_for

    volume_names = {"main": "正卷", "secondary": "副卷"}
    with ExitStack() as stack:
        sections = []
        for volume in efile_catalog_for(case, include_secondary=include_secondary):
            for node in volume.sections:
                parts = [
                    Part(title=doc.title, stream=stack.enter_context(blob_open(doc.blob_id)))
                    for doc in node.documents
                    if doc.blob.mime_type == "application/pdf" and doc.page_count > 0
                ]
                if parts:
                    title = f"{volume_names.get(volume.code, volume.code)} · {node.section.code} {node.section.title}"
                    sections.append(Section(title=title, parts=parts))
        return pdf_merge_with_bookmarks(sections, out)


def efile_submittable_kinds(*, case, include_secondary: bool) -> list[tuple[str, str]]:
    """(kind, label) pairs a person may file into this case's catalogue; 副卷 kinds only for court staff."""
    from .catalog import DOCUMENT_KIND_LABELS

    kinds: list[str] = []
    for section in CatalogSection.objects.filter(case_type_id=case.case_type_id).order_by("volume", "code"):
        if section.volume == "secondary" and not include_secondary:
            continue
        kinds += [k for k in section.document_kinds if k not in kinds]
    return [(k, DOCUMENT_KIND_LABELS.get(k, k)) for k in kinds]


def efile_submit(*, access, actor, stream, title: str, kind: str, filename: str = "") -> Document:
    """File one uploaded document into a case: stored by content (type sniffed, size-limited), then journaled.

    Bad input raises ValidationFailed before anything is journaled; a stored-but-unjournaled blob is harmless
    (content-addressed, and the next upload of the same bytes reuses it).
    """
    from yunting.core.cases.access import Capability
    from yunting.core.journal.services import DocumentInput, journal_append
    from yunting.kernel.blobs.store import blob_put

    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("Please give the document a title."), code="efile_title", data={"field": "title"})
    allowed = dict(efile_submittable_kinds(case=access.case, include_secondary=access.can(Capability.VIEW_SECONDARY)))
    if kind not in allowed:
        raise ValidationFailed(_("You cannot submit a document of this kind."), code="efile_kind", data={"field": "kind", "kind": kind})
    blob = blob_put(stream)
    entry = journal_append(
        case=access.case, kind="efile.document_submitted", actor=actor,
        payload={"title": title[:300], "kind": kind, "mime_type": blob.mime_type, "size": blob.size},
        documents=[DocumentInput(sha256=blob.sha256, title=title[:300], kind=kind, filename=filename or "")],
    )
    return entry.documents.get()

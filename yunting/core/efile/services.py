from __future__ import annotations

import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.kernel.blobs.models import Blob
from yunting.kernel.blobs.store import blob_open
from yunting.kernel.common import rawsql
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.pdf.tools import pdf_info, pdf_page_count
from yunting.kernel.search.engine import search_index_many

from .models import CatalogSection, Document

log = logging.getLogger(__name__)
TITLE_MAX = 300  # Document.title; refused beyond, never cut


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
    """Journal recorder: file each document an entry produced into its catalogue section (same transaction).

    One entry's documents (an upload, a paper) have their text extracted at once, so they can be searched as
    soon as the act commits."""
    created = _record(entry_documents=[(entry, doc) for doc in documents])
    if created:  # most entries produce no document: nothing to do on the journal's hot path
        efile_extract_text(created)
    return created


def efile_record_documents_many(entries, documents_of) -> list[Document]:
    """Bulk form of the recorder (journal_append_many): one query for the blobs, each (case type, kind) section
    looked up once, rows inserted in bulk. Text extraction (pypdf: ~5 ms a page, more than the whole rest of
    opening a case) is left to a background job started after commit, and to the periodic catch-up."""
    created = _record(entry_documents=[(entry, doc) for entry, docs in zip(entries, documents_of, strict=True)
                                       for doc in docs])
    if created:
        ids = [d.pk for d in created]
        transaction.on_commit(lambda: _enqueue_text(ids))
    return created


def _record(*, entry_documents) -> list[Document]:
    if not entry_documents:
        return []
    blobs = Blob.objects.in_bulk({doc.sha256 for _, doc in entry_documents})
    pages: dict[str, int] = {}
    sections: dict[tuple[str, str, str], CatalogSection] = {}
    created = []
    for entry, doc in entry_documents:
        blob = blobs.get(doc.sha256)
        if blob is None:
            raise ValidationFailed(_("The file has not been uploaded yet."), code="efile_blob_missing", data={"sha256": doc.sha256})
        if doc.page_count is not None:
            pages[blob.sha256] = doc.page_count
        elif blob.sha256 not in pages:
            pages[blob.sha256] = 0
            if blob.mime_type == "application/pdf":
                with blob_open(blob.sha256) as fh:
                    pages[blob.sha256] = pdf_page_count(fh)
        case = entry.case
        key = (case.case_type_id, doc.kind, doc.section)
        if key not in sections:
            sections[key] = section_for(case_type_id=case.case_type_id, kind=doc.kind, section_code=doc.section)
        created.append(Document(
            case=case, blob=blob, title=doc.title, kind=doc.kind, section=sections[key], entry=entry,
            page_count=pages[blob.sha256], security_level=doc.security_level or case.security_level,
            filename=doc.filename[:255],
        ))
    rawsql.bulk_insert(created)
    search_index_many(scope="document", items=[(d.pk, d.title, d.case_id) for d in created])
    return created


def efile_extract_text(documents: list[Document]) -> int:
    """Extract the text of PDFs into their documents and the search index (idempotent); returns how many."""
    texts: dict[str, str] = {}
    now = timezone.now()
    for doc in documents:
        if doc.blob.mime_type == "application/pdf" and doc.blob_id not in texts:
            with blob_open(doc.blob_id) as fh:
                texts[doc.blob_id] = pdf_info(fh)[1]
        doc.text, doc.text_extracted_at = texts.get(doc.blob_id, ""), now
    at = Document._meta.get_field("text_extracted_at").get_db_prep_save(now, connection)
    with rawsql.cursor() as cur:  # one statement sent for all, not a query per document
        cur.executemany(f"UPDATE {Document._meta.db_table} SET text = %s, text_extracted_at = %s WHERE id = %s",
                        [(d.text, at, d.pk) for d in documents])
    search_index_many(scope="document", items=[(d.pk, f"{d.title}\n{d.text}", d.case_id) for d in documents])
    return len(documents)


def efile_extract_pending(*, limit: int = 500) -> int:
    """The background job (and periodic catch-up): documents whose text has not been extracted yet."""
    with transaction.atomic():
        docs = list(Document.objects.filter(text_extracted_at__isnull=True).select_related("blob")
                    .order_by("id")[:limit])
        return efile_extract_text(docs)


def _enqueue_text(ids: list[int]) -> None:
    from .tasks import efile_text_extract

    try:
        efile_text_extract.enqueue(document_ids=ids)
    except Exception:  # the periodic catch-up extracts them
        log.exception("could not enqueue text extraction of %s documents", len(ids))


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


def efile_submit(*, access, actor, stream, title: str, kind: str, filename: str = ""):
    """Take one document into a case: stored through the one checked intake (efile.intake) and answered at once
    as an Upload; the content check runs in the background and, when the document passes, it is journaled
    (`efile.document_submitted`) into its catalogue section by `efile_upload_accepted`.

    Bad title or kind, type, size or quota raise ValidationFailed here, storing nothing.
    """
    from yunting.core.cases.access import Capability

    from .intake import upload_receive

    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("Please give the document a title."), code="efile_title", data={"field": "title"})
    if len(title) > TITLE_MAX:
        raise ValidationFailed(_("A document's title is at most %(max)d characters.") % {"max": TITLE_MAX},
                               code="efile_title_too_long", data={"field": "title", "max": TITLE_MAX})
    allowed = dict(efile_submittable_kinds(case=access.case, include_secondary=access.can(Capability.VIEW_SECONDARY)))
    if kind not in allowed:
        raise ValidationFailed(_("You cannot submit a document of this kind."), code="efile_kind", data={"field": "kind", "kind": kind})
    return upload_receive(streams=[stream], purpose="efile", user=actor, subject=f"case:{access.case.pk}",
                          intent={"title": title[:300], "kind": kind, "filename": (filename or "")[:255]})


def efile_upload_accepted(upload) -> dict:
    """The e-file's upload handler: journal the checked document into the case, if the uploader may still submit
    documents of that kind there (access is asked again: it may have changed while the check ran)."""
    from yunting.core.cases.access import Capability, access_case_for
    from yunting.core.cases.errors import CaseNotFound
    from yunting.core.journal.services import DocumentInput, journal_append

    case_id = upload.subject.removeprefix("case:")
    title, kind = upload.intent.get("title", ""), upload.intent.get("kind", "")
    try:
        access = access_case_for(upload.user, case_id, need=Capability.SUBMIT_DOCUMENTS)
    except CaseNotFound:
        raise ValidationFailed(_("You can no longer submit documents to this case."), code="efile_no_access") from None
    allowed = dict(efile_submittable_kinds(case=access.case, include_secondary=access.can(Capability.VIEW_SECONDARY)))
    if kind not in allowed:
        raise ValidationFailed(_("You cannot submit a document of this kind."), code="efile_kind", data={"kind": kind})
    blob = upload.document
    sources = [n for n in upload.notes if n.get("code") == "photo_straightened"]
    entry = journal_append(
        case=access.case, kind="efile.document_submitted", actor=upload.user,
        payload={"title": title, "kind": kind, "mime_type": blob.mime_type, "size": blob.size,
                 "notes": [n["code"] for n in upload.notes], "upload_id": upload.pk,
                 "source_sha256": upload.sha256 if sources else None},
        documents=[DocumentInput(sha256=blob.sha256, title=title, kind=kind,
                                 filename=upload.intent.get("filename", ""), page_count=upload.page_count)],
    )
    return {"document_id": entry.documents.get().pk}

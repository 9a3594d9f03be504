from __future__ import annotations

import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.kernel.blobs.store import blob_open, blobs_stored
from yunting.kernel.common import rawsql, write_behind
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.pdf.tools import pdf_info, pdf_page_count
from yunting.kernel.search.engine import search_index_many

from .models import CatalogSection, Document

log = logging.getLogger(__name__)
TITLE_MAX = 300  # Document.title; refused beyond, never cut


def section_for(*, case_type_id: str, kind: str, section_code: str = "") -> CatalogSection:
    """The section a document kind files into for a case type; unknown kinds go to the main volume's 其他材料."""
    return _pick_section(_catalogue(case_type_id), case_type_id=case_type_id, kind=kind, section_code=section_code)


def _catalogue(case_type_id: str) -> list[CatalogSection]:
    """A case type's sections in catalogue order. Inside a write-behind block (a bulk acceptance on PostgreSQL) read
    beside its queue, once: no filing writes the catalogue, so the bulk path need not wait for its inserts."""
    wb = write_behind.active(connection)
    if wb is None:
        return list(CatalogSection.objects.filter(case_type_id=case_type_id).order_by("volume", "code"))
    key = ("catalogue", case_type_id)
    if key not in wb.kept:
        wb.kept[key] = sorted(wb.read_beside(CatalogSection, "case_type_id = %s", [case_type_id]),
                              key=lambda s: (s.volume, s.code))
    return wb.kept[key]


def _pick_section(ordered: list[CatalogSection], *, case_type_id: str, kind: str, section_code: str) -> CatalogSection:
    if section_code:
        for section in ordered:
            if section.code == section_code:
                return section
        raise ValidationFailed(_("The e-file catalogue has no such section."), code="efile_section", data={"section": section_code})
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
    blobs = blobs_stored(doc.sha256 for _, doc in entry_documents)
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


class KindNotAllowed(ValidationFailed):
    """A document kind the submitter may not issue (a court kind from outside the court): 422."""

    http_status = 422
    default_code = "document_kind_not_allowed"


def _submitter(access) -> tuple[bool, frozenset[str]]:
    """(court staff?, case roles) of the caller, from the case access, never from what the caller sends."""
    from yunting.core.cases.access import Capability

    return access.can(Capability.WRITE_JOURNAL), access.roles


def efile_submittable_kinds(*, access) -> list[tuple[str, str]]:
    """(kind, label) pairs the caller may file into this case's catalogue: court staff any kind (副卷 ones with
    VIEW_SECONDARY); a party or lawyer the party kinds; an institution its own kinds as well."""
    from yunting.kernel.common.memo import memoised

    # the e-file page asks twice (the form's choices, its default): once per read request
    return list(memoised(("efile.kinds", access.case.pk, access.capabilities, access.roles),
                         lambda: _submittable_kinds(access)))


def _submittable_kinds(access) -> list[tuple[str, str]]:
    from yunting.core.cases.access import Capability

    from .catalog import kind_label, kinds_submittable_by

    court_staff, roles = _submitter(access)
    allowed = kinds_submittable_by(court_staff=court_staff, roles=roles)
    include_secondary = access.can(Capability.VIEW_SECONDARY)
    kinds: list[str] = []
    for section in CatalogSection.objects.filter(case_type_id=access.case.case_type_id).order_by("volume", "code"):
        if section.volume == "secondary" and not include_secondary:
            continue
        kinds += [k for k in section.document_kinds if k not in kinds and (allowed is None or k in allowed)]
    return [(k, kind_label(k)) for k in kinds]


def efile_default_kind(*, access, user) -> str:
    """The kind a submission form starts on: a defendant's first paper is an 答辩状, a plaintiff's next one
    evidence, an appraiser's a 鉴定意见 — whichever the caller's standing suggests and the catalogue offers."""
    from yunting.core.cases.models import Participation

    from .catalog import DEFAULT_KIND_BY_PARTY_ROLE, DEFAULT_KIND_BY_ROLE

    offered = [k for k, _label in efile_submittable_kinds(access=access)]
    wanted = [DEFAULT_KIND_BY_ROLE[r] for r in sorted(access.roles) if r in DEFAULT_KIND_BY_ROLE]
    party_roles = (Participation.objects.filter(case=access.case, user=user, party__isnull=False)
                   .values_list("party__role", flat=True))
    wanted += [DEFAULT_KIND_BY_PARTY_ROLE[r] for r in party_roles if r in DEFAULT_KIND_BY_PARTY_ROLE]
    if not _submitter(access)[0]:
        wanted.append("evidence")
    return next((k for k in wanted if k in offered), offered[0] if offered else "")


def _check_kind(*, access, kind: str) -> None:
    """Refuse a kind the caller may not submit: a court (or another institution's) kind → 422, naming who issues
    it; a kind this case's catalogue does not have → 400."""
    from .catalog import DOCUMENT_KIND_LABELS, kind_issuer, kind_label

    if kind in dict(efile_submittable_kinds(access=access)):
        return
    if kind in DOCUMENT_KIND_LABELS and kind_issuer(kind) != "party":
        label = kind_label(kind)
        if kind_issuer(kind) == "court":
            message = _("A %(kind)s is issued by the court only: it cannot be submitted by a party or a lawyer. "
                        "Submit your own material (a statement of defence, evidence, an application …) instead.")
        else:
            message = _("A %(kind)s is submitted by the institution that makes it, not by a party or a lawyer.")
        raise KindNotAllowed(message % {"kind": label}, data={"field": "kind", "kind": kind,
                                                             "issued_by": kind_issuer(kind)})
    raise ValidationFailed(_("You cannot submit a document of this kind."), code="efile_kind",
                           data={"field": "kind", "kind": kind})


def efile_submit(*, access, actor, stream, title: str, kind: str, filename: str = ""):
    """Take one document into a case: stored through the one checked intake (efile.intake) and answered at once
    as an Upload; the content check runs in the background and, when the document passes, it is journaled
    (`efile.document_submitted`) into its catalogue section by `efile_upload_accepted`.

    Bad title or kind, type, size or quota raise ValidationFailed here, storing nothing.
    """

    from .intake import upload_receive

    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("Please give the document a title."), code="efile_title", data={"field": "title"})
    if len(title) > TITLE_MAX:
        raise ValidationFailed(_("A document's title is at most %(max)d characters.") % {"max": TITLE_MAX},
                               code="efile_title_too_long", data={"field": "title", "max": TITLE_MAX})
    kind = (kind or "").strip() or efile_default_kind(access=access, user=actor)  # none given: the role's default
    _check_kind(access=access, kind=kind)
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
    _check_kind(access=access, kind=kind)
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

"""Writes of the scanning workflow: cover sheets, station batches (received through the checked intake, then one
background job per page, then splitting at cover sheets), the clerk's confirmation into the e-file, and the
custody of paper originals. Each function is one transaction; reads are in selectors.py."""

from __future__ import annotations

import logging
import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yunting.core.cases.access import Capability
from yunting.core.efile.catalog import kind_label
from yunting.core.efile.intake import after_commit, upload_receive
from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.people.choices import Role
from yunting.core.people.models import Membership
from yunting.workflows.scanning.i18n import _

from . import entries, errors
from .classify import suggest_kind, title_from
from .models import (
    BatchStatus,
    CoverSheet,
    Movement,
    Original,
    OriginalStatus,
    ScanBatch,
    ScanDocStatus,
    ScanDocument,
    ScanPage,
)

log = logging.getLogger(__name__)
STATION_ROLES = (Role.SCANNER, Role.ARCHIVIST, Role.CLERK, Role.COURT_ADMIN)
MAX_DECLARED_PAGES = 5000
OCR_DPI = 200
DEFAULT_STORE = "中间库·待上架"
BARCODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed from paper


def min_legibility() -> float:
    """Pages whose OCR confidence is below this are returned to the station (`YUNTING_SCAN_MIN_LEGIBILITY`)."""
    return float(getattr(settings, "YUNTING_SCAN_MIN_LEGIBILITY", 0.80))


def new_barcode() -> str:
    return "YT" + "".join(secrets.choice(BARCODE_ALPHABET) for _ in range(10))


def station_court(user):
    """The court whose scanning station the user works (scanning staff, clerk, archivist, court admin)."""
    membership = (Membership.objects.filter(user=user, role__in=STATION_ROLES, organisation__kind="court")
                  .select_related("organisation").order_by("pk").first()) if user.is_authenticated else None
    if membership is None:
        raise errors.not_station()
    return membership.organisation


def _need_court(access) -> None:
    if not access.can(Capability.WRITE_JOURNAL):
        raise errors.not_station()


# --- cover sheets --------------------------------------------------------------------------------------------
def cover_sheet_create(*, access, actor, kind: str = "", title: str = "", declared_pages=None) -> CoverSheet:
    """A new cover sheet for the case (kind empty) or for one paper submission (kind, title, declared pages).
    Court staff of the case only."""
    from yunting.core.efile.services import efile_submittable_kinds

    _need_court(access)
    kind, title = (kind or "").strip(), (title or "").strip()
    if kind and kind not in dict(efile_submittable_kinds(access=access)):
        raise errors.invalid(_("The e-file catalogue of this case has no such document kind."), "scan_cover_kind",
                             field="kind", kind=kind)
    if len(title) > 300:
        raise errors.invalid(_("A document's title is at most %(max)d characters.") % {"max": 300},
                             "scan_cover_title", field="title")
    pages = None
    if declared_pages not in (None, ""):
        try:
            pages = int(declared_pages)
        except (TypeError, ValueError):
            pages = 0
        if not 1 <= pages <= MAX_DECLARED_PAGES:
            raise errors.invalid(_("The declared page count must be a whole number from 1 to %(max)d.")
                                 % {"max": MAX_DECLARED_PAGES}, "scan_cover_pages", field="declared_pages")
    return CoverSheet.objects.create(case=access.case, kind=kind, title=title if kind else "",
                                     declared_pages=pages if kind else None, barcode=new_barcode(),
                                     created_by=actor)


# --- batches ---------------------------------------------------------------------------------------------------
def scan_batch_receive(*, user, streams, station: str = "") -> ScanBatch:
    """Take a station's batch (one PDF, or photos/scanned images of pages) through the checked intake and answer
    at once; recognising runs in the background, one job per page. Bad type, size or quota: refused here and
    nothing is kept."""
    court = station_court(user)
    batch = ScanBatch.objects.create(court=court, station_user=user, station=(station or "")[:60])
    try:
        upload = upload_receive(streams=streams, purpose="scan", user=user, subject=f"scan:{batch.pk}",
                                intent={"title": _("Scan batch"), "filename": getattr(streams[0], "name", "")[:255]
                                        if streams else ""})
    except BaseException:
        batch.delete()
        raise
    ScanBatch.objects.filter(pk=batch.pk, upload__isnull=True).update(upload=upload)
    batch.refresh_from_db()
    return scan_batch_sync(batch)


def scan_batch_sync(batch: ScanBatch) -> ScanBatch:
    """A batch whose upload the intake refused is returned to the station with the intake's reasons (low dpi,
    damaged PDF, …): the intake decides without knowing about batches, so the batch learns it here."""
    from yunting.core.efile.models import UploadStatus

    if batch.status == BatchStatus.CHECKING and batch.upload_id and batch.upload.status == UploadStatus.REFUSED:
        ScanBatch.objects.filter(pk=batch.pk, status=BatchStatus.CHECKING).update(
            status=BatchStatus.RETURNED, problems=batch.upload.problems, finished_at=timezone.now())
        batch.refresh_from_db()
    return batch


def scan_upload_accepted(upload) -> dict[str, Any]:
    """The intake's handler for `scan` uploads (in the accepting transaction): one page row each, and after
    commit one recognition job per page, so every worker (every core) takes pages of the same batch."""
    batch = ScanBatch.objects.select_for_update().get(pk=int(upload.subject.removeprefix("scan:")))
    if batch.status != BatchStatus.CHECKING:
        return {"scan_batch": batch.pk}
    pages = upload.page_count or 1
    batch.status, batch.page_total, batch.upload_id = BatchStatus.PROCESSING, pages, upload.pk
    batch.save(update_fields=["status", "page_total", "upload"])
    ScanPage.objects.bulk_create([ScanPage(batch=batch, number=n) for n in range(1, pages + 1)])
    after_commit(lambda: _enqueue_pages(batch.pk, pages))
    return {"scan_batch": batch.pk}


def _enqueue_pages(batch_id: int, pages: int) -> None:
    from .tasks import scan_page_task

    for number in range(1, pages + 1):
        try:
            scan_page_task.enqueue(batch_id=batch_id, number=number)
        except Exception:  # the periodic catch-up (scanning.pages) picks it up
            log.exception("could not enqueue page %s of scan batch %s", number, batch_id)


def _document_bytes(batch: ScanBatch) -> tuple[bytes, str]:
    from yunting.kernel.blobs.store import blob_read

    blob = batch.upload.document
    return blob_read(blob.sha256), blob.mime_type


def page_image(data: bytes, mime: str, number: int, *, dpi: int = OCR_DPI):
    """Page `number` of what the intake accepted (a PDF, or one image) as a grayscale image, and its dpi."""
    import io

    from PIL import Image

    from yunting.kernel.ocr import render_page

    if mime == "application/pdf":
        return render_page(data, number, dpi=dpi), dpi
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("L"), int((image.info.get("dpi") or (OCR_DPI, OCR_DPI))[0]) or OCR_DPI


def scan_page_recognise(*, batch_id: int, number: int) -> None:
    """One page: a cover sheet (its QR code), a blank page, or a page to straighten and read. The job that
    finishes the last page splits the batch. Idempotent: a page done is not read again."""
    from yunting.kernel.ocr import deskew, find_qr, is_blank, ocr_image

    from .cover import cover_token_read

    page = ScanPage.objects.select_related("batch__upload__document").filter(batch_id=batch_id, number=number).first()
    if page is None or page.done:
        return
    batch = page.batch
    data, mime = _document_bytes(batch)
    image, dpi = page_image(data, mime, number)
    page.dpi = dpi
    qr = find_qr(image)
    if qr:
        sheet_id = cover_token_read(qr)
        page.cover = CoverSheet.objects.filter(pk=sheet_id, case__court_id=batch.court_id).first() if sheet_id else None
        page.qr_problem = "" if page.cover else ("foreign_court" if sheet_id else "not_a_cover")
    if page.cover is None and not page.qr_problem:
        if is_blank(image):
            page.blank = True
        else:
            straight, page.angle = deskew(image)
            ocr = ocr_image(straight)
            page.lines = [[line.text, line.box, round(line.score, 4)] for line in ocr.lines]
            page.text, page.confidence = ocr.text, ocr.confidence
    page.done = True
    with transaction.atomic():
        page.save()
        ScanBatch.objects.filter(pk=batch_id).update(pages_done=F("pages_done") + 1)
    if not ScanPage.objects.filter(batch_id=batch_id, done=False).exists():
        scan_batch_split(batch_id=batch_id)


def scan_batch_split(*, batch_id: int) -> ScanBatch:
    """Split a recognised batch at its cover sheets into documents: blank pages dropped, each document one
    searchable PDF with a suggested catalogue kind, quality problems routed back to the station. Runs once (the
    status change is the claim)."""
    if not ScanBatch.objects.filter(pk=batch_id, status=BatchStatus.PROCESSING).update(status=BatchStatus.SPLITTING):
        return ScanBatch.objects.get(pk=batch_id)
    batch = ScanBatch.objects.select_related("upload__document").get(pk=batch_id)
    pages = list(batch.pages.select_related("cover__case").order_by("number"))
    groups: list[tuple[ScanPage | None, list[ScanPage]]] = []
    for page in pages:
        if page.cover_id or page.qr_problem:
            groups.append((page, []))
        elif groups:
            groups[-1][1].append(page)
        else:
            groups.append((None, [page]))
    data, mime = _document_bytes(batch)
    made = [_document_from(batch, head, body, data, mime) for head, body in groups]
    with transaction.atomic():
        ScanDocument.objects.bulk_create([d for d in made if d is not None])
        batch.status, batch.finished_at = BatchStatus.DONE, timezone.now()
        batch.save(update_fields=["status", "finished_at"])
    return batch


def _problem(code: str, message: str, **data) -> dict[str, Any]:
    return {"code": code, "message": message, "data": data}


def _document_from(batch, head: ScanPage | None, body: list[ScanPage], data: bytes, mime: str):
    from yunting.core.efile.models import CatalogSection
    from yunting.kernel.blobs.store import blob_put_bytes
    from yunting.kernel.ocr import OcrLine, OcrPage, ScannedPage, deskew, searchable_pdf

    kept = [p for p in body if not p.blank]
    cover = head.cover if head is not None else None
    if head is not None and cover is not None and not body:
        return ScanDocument(batch=batch, cover=cover, case=cover.case, first_page=head.number,
                            last_page=head.number, status=ScanDocStatus.RETURNED, title=cover.title,
                            problems=[_problem("scan_empty", _(
                                "The cover sheet on page %(page)s (%(barcode)s) is followed by no pages: scan the "
                                "material behind its cover sheet.") % {"page": head.number,
                                                                       "barcode": cover.barcode},
                                page=head.number)])
    first = head.number if head is not None else body[0].number
    last = body[-1].number if body else first
    problems: list[dict[str, Any]] = []
    if head is None:
        message = (_("Page %(first)s comes before any cover sheet: put the cover sheet in front of it and scan it "
                     "again.") if first == last else
                   _("Pages %(first)s–%(last)s come before any cover sheet: put the cover sheet in front of them and "
                     "scan them again."))
        problems.append(_problem("scan_no_cover", message % {"first": first, "last": last}, first=first, last=last))
    elif cover is None:
        problems.append(_problem("scan_cover_invalid", _(
            "The QR code on page %(page)s is not a cover sheet of this court (or it was altered): print the cover "
            "sheet again from the case page.") % {"page": head.number}, page=head.number))
    if body and not kept:
        problems.append(_problem("scan_empty", _("Pages %(first)s–%(last)s are all blank.") % {
            "first": body[0].number, "last": body[-1].number}))
    if cover and cover.declared_pages and len(kept) != cover.declared_pages:
        problems.append(_problem("scan_page_count", _(
            "%(title)s: %(declared)s pages were declared but %(found)s were scanned (blank pages not counted). "
            "Check for missing or extra sheets and scan it again.") % {
            "title": cover.title or kind_label(cover.kind), "declared": cover.declared_pages, "found": len(kept)},
            declared=cover.declared_pages, found=len(kept)))
    floor = min_legibility()
    poor = [p.number for p in kept if p.confidence < floor]
    if poor:
        worst = min(p.confidence for p in kept if p.number in poor)
        problems.append(_problem("scan_illegible", _(
            "Page %(pages)s is hard to read (legibility %(score)s%%; at least %(min)s%% is needed): check the "
            "scanner glass and the original, and scan it again.") % {
            "pages": "、".join(map(str, poor)), "score": round(worst * 100), "min": round(floor * 100)},
            pages=poor, score=round(worst, 4), min=floor))
    text = "\n".join(p.text for p in kept)
    chars = sum(len(p.text) for p in kept)
    confidence = round(sum(p.confidence * len(p.text) for p in kept) / chars, 4) if chars else 0.0
    case = cover.case if cover else None
    offered = None
    if case is not None:
        offered = {k for s in CatalogSection.objects.filter(case_type_id=case.case_type_id, volume="main")
                   for k in s.document_kinds}
    suggested = (cover.kind if cover and cover.kind else suggest_kind(text, offered=offered))
    blob = None
    if kept:
        scanned = []
        for p in kept:
            image, dpi = page_image(data, mime, p.number, dpi=p.dpi or OCR_DPI)
            image, _angle = deskew(image, p.angle)
            lines = [OcrLine(text=t, box=b, score=s) for t, b, s in p.lines]
            scanned.append(ScannedPage(image=image, dpi=dpi, ocr=OcrPage(lines=lines)))
        title = (cover.title if cover and cover.title else title_from(text, kind_label(suggested)))
        blob = blob_put_bytes(searchable_pdf(scanned, title=title), allowed={"application/pdf"})
    else:
        title = cover.title if cover else ""
    return ScanDocument(
        batch=batch, cover=cover, case=case, first_page=first, last_page=last, page_count=len(kept),
        blank_dropped=[p.number for p in body if p.blank], blob=blob, title=title[:300], suggested_kind=suggested,
        confidence=confidence, text=text, problems=problems,
        status=ScanDocStatus.RETURNED if problems else ScanDocStatus.PENDING)


# --- the clerk's decision --------------------------------------------------------------------------------------
@transaction.atomic
def scan_document_file(*, access, actor, document: ScanDocument, kind: str, title: str = "") -> ScanDocument:
    """File a scanned document into the e-file under the kind the clerk confirms (the suggestion, or another);
    its paper original is registered in the intermediate store under the cover sheet's barcode (人卷分离)."""
    from yunting.core.efile.services import efile_submittable_kinds

    _need_court(access)
    doc = ScanDocument.objects.select_for_update(of=("self",)).select_related("cover").get(pk=document.pk)
    if doc.case_id != access.case.pk:
        raise errors.document_not_found()
    if doc.status != ScanDocStatus.PENDING:
        raise errors.not_pending()
    kind = (kind or doc.suggested_kind).strip()
    if kind not in dict(efile_submittable_kinds(access=access)):
        raise errors.invalid(_("The e-file catalogue of this case has no such document kind."), "scan_kind",
                             field="kind", kind=kind)
    title = (title or doc.title or kind_label(kind)).strip()[:300]
    barcode = doc.cover.barcode if doc.cover else ""
    entry = journal_append(
        case=access.case, kind=entries.DOCUMENT_FILED, actor=actor,
        payload={"scan_document_id": doc.pk, "batch_id": doc.batch_id, "barcode": barcode, "kind": kind,
                 "suggested_kind": doc.suggested_kind, "legibility_pct": round(doc.confidence * 100),
                 "pages": doc.page_count,
                 "blank_pages_dropped": len(doc.blank_dropped), "origin": "paper_scan"},
        documents=[DocumentInput(sha256=doc.blob_id, title=title, kind=kind, page_count=doc.page_count,
                                 filename=f"{barcode or 'scan'}.pdf")])
    doc.document = entry.documents.get()
    doc.kind, doc.title, doc.status, doc.decided_by = kind, title, ScanDocStatus.FILED, actor
    doc.save(update_fields=["document", "kind", "title", "status", "decided_by"])
    if barcode and not Original.objects.filter(barcode=barcode).exists():
        _original_create(case=access.case, actor=actor, barcode=barcode, description=title, location=DEFAULT_STORE,
                         cover=doc.cover)
    return doc


@transaction.atomic
def scan_document_return(*, access, actor, document: ScanDocument, reason: str) -> ScanDocument:
    """Send a scanned document back to the station's queue with the clerk's reason (wrong case, pages missing)."""
    _need_court(access)
    reason = (reason or "").strip()
    if not reason:
        raise errors.invalid(_("Say why the scan goes back to the station."), "scan_reason", field="reason")
    doc = ScanDocument.objects.select_for_update().get(pk=document.pk)
    if doc.case_id != access.case.pk:
        raise errors.document_not_found()
    if doc.status != ScanDocStatus.PENDING:
        raise errors.not_pending()
    doc.status, doc.decided_by = ScanDocStatus.RETURNED, actor
    doc.problems = [*doc.problems, _problem("scan_returned_by_clerk", reason[:300], by=actor.display_name)]
    doc.save(update_fields=["status", "decided_by", "problems"])
    return doc


# --- paper originals (人卷分离) -----------------------------------------------------------------------------------
def _original_create(*, case, actor, barcode: str, description: str, location: str, cover=None) -> Original:
    original = Original.objects.create(case=case, barcode=barcode, description=description[:300],
                                       location=location[:100], cover=cover, status=OriginalStatus.IN_STORE)
    Movement.objects.create(original=original, action="register", to_location=original.location, actor=actor)
    journal_append(case=case, kind=entries.ORIGINAL_REGISTERED, actor=actor,
                   payload={"barcode": barcode, "description": original.description, "location": original.location})
    return original


@transaction.atomic
def original_register(*, access, actor, description: str, location: str, barcode: str = "") -> Original:
    """Record a paper original taken into the intermediate store (a barcode is printed if it has none)."""
    _need_court(access)
    description, location, barcode = (description or "").strip(), (location or "").strip(), (barcode or "").strip()
    if not description:
        raise errors.invalid(_("Describe the original (for example: 借条原件 1 张)."), "original_description",
                             field="description")
    if not location:
        raise errors.invalid(_("Say where in the intermediate store the original is kept."), "original_location",
                             field="location")
    if barcode and Original.objects.filter(barcode=barcode).exists():
        raise errors.invalid(_("Another original already has barcode %(barcode)s.") % {"barcode": barcode},
                             "original_barcode", field="barcode")
    return _original_create(case=access.case, actor=actor, barcode=barcode[:20] or new_barcode(),
                            description=description, location=location)


ACTIONS = ("move", "lend", "return", "release", "archive")
ALLOWED_FROM = {
    "move": {OriginalStatus.IN_STORE},
    "lend": {OriginalStatus.IN_STORE},
    "return": {OriginalStatus.LENT},
    "release": {OriginalStatus.IN_STORE},
    "archive": {OriginalStatus.IN_STORE},
}
STATUS_AFTER = {"move": OriginalStatus.IN_STORE, "lend": OriginalStatus.LENT, "return": OriginalStatus.IN_STORE,
                "release": OriginalStatus.RETURNED_TO_PARTY, "archive": OriginalStatus.ARCHIVED}


@transaction.atomic
def original_move(*, access, actor, original: Original, action: str, location: str = "", holder=None,
                  reason: str = "", due_back: date | None = None) -> Original:
    """One movement of a paper original: move to another shelf, lend (to a named holder, with a due date),
    return into the store, release to its owner (a reason is required), or archive. Logged and journaled."""
    _need_court(access)
    if action not in ACTIONS:
        raise errors.invalid(_("Unknown movement."), "original_action", field="action")
    locked = Original.objects.select_for_update().get(pk=original.pk)
    if locked.case_id != access.case.pk:
        raise errors.original_not_found()
    if locked.status not in ALLOWED_FROM[action]:
        raise errors.invalid(_("The original is %(status)s: it cannot be %(action)s now.") % {
            "status": locked.get_status_display(), "action": ACTION_LABELS()[action]}, "original_state",
            status=locked.status, action=action)
    location, reason = (location or "").strip()[:100], (reason or "").strip()[:300]
    if action in ("move", "return") and not location:
        raise errors.invalid(_("Say where in the intermediate store the original goes."), "original_location",
                             field="location")
    if action == "lend" and holder is None:
        raise errors.invalid(_("Name the court staff member who borrows the original."), "original_holder",
                             field="holder")
    if action == "release" and not reason:
        raise errors.invalid(_("Say why the original is handed back (for example: 当事人申请退还, 裁判生效)."),
                             "original_reason", field="reason")
    before = locked.location
    locked.status = STATUS_AFTER[action]
    locked.holder = holder if action == "lend" else None
    locked.due_back = due_back if action == "lend" else None
    if action in ("move", "return"):
        locked.location = location
    elif action in ("release", "archive"):
        locked.location = location or locked.location
    locked.save(update_fields=["status", "holder", "due_back", "location"])
    Movement.objects.create(original=locked, action=action, from_location=before, to_location=locked.location,
                            holder=holder if action == "lend" else None, actor=actor, reason=reason)
    journal_append(case=access.case, kind=entries.ORIGINAL_MOVED, actor=actor, payload={
        "barcode": locked.barcode, "action": action, "from": before, "to": locked.location, "reason": reason,
        "holder": holder.display_name if holder is not None and action == "lend" else "",
        "due_back": due_back.isoformat() if due_back and action == "lend" else ""})
    return locked


def ACTION_LABELS() -> dict[str, str]:  # noqa: N802 (a table, translated when called)
    return {"move": _("moved"), "lend": _("lent"), "return": _("returned"), "release": _("released"),
            "archive": _("archived")}


def scan_pages_catch_up(*, older_than_s: int = 900) -> int:
    """Periodic: pages of batches still recognising long after they came in (a lost job, a crashed worker) are
    enqueued again; a page already done is skipped by its job."""
    from datetime import timedelta

    cutoff = timezone.now() - timedelta(seconds=older_than_s)
    stuck = list(ScanPage.objects.filter(done=False, batch__status=BatchStatus.PROCESSING,
                                         batch__created_at__lt=cutoff).values_list("batch_id", "number")[:500])
    from .tasks import scan_page_task

    for batch_id, number in stuck:
        try:
            scan_page_task.enqueue(batch_id=batch_id, number=number)
        except Exception:
            log.exception("could not enqueue page %s of scan batch %s", number, batch_id)
    return len(stuck)

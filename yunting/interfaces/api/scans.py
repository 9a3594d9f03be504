"""Scanning stations' API (issue 16): upload a batch, follow its progress, read the queue routed back."""

from __future__ import annotations

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from yunting.workflows.scanning import errors
from yunting.workflows.scanning.selectors import batch_documents, batch_for, station_queue
from yunting.workflows.scanning.services import scan_batch_receive

from .auth import API_AUTH, caller
from .schemas import ErrorOut

router = Router(auth=API_AUTH, tags=["scanning"])


class ScanDocumentOut(Schema):
    id: int
    case_number: str | None
    first_page: int
    last_page: int
    pages: int
    blank_pages_dropped: list[int]
    suggested_kind: str
    title: str
    legibility: float
    status: str
    problems: list[dict]


class ScanBatchOut(Schema):
    id: int
    status: str
    station: str
    page_total: int
    pages_done: int
    progress: int
    problems: list[dict]
    documents: list[ScanDocumentOut]


def _document(d) -> dict:
    return {"id": d.pk, "case_number": d.case.number if d.case_id else None, "first_page": d.first_page,
            "last_page": d.last_page, "pages": d.page_count, "blank_pages_dropped": d.blank_dropped,
            "suggested_kind": d.suggested_kind, "title": d.title, "legibility": d.confidence, "status": d.status,
            "problems": d.problems}


def _batch(b) -> dict:
    return {"id": b.pk, "status": b.status, "station": b.station, "page_total": b.page_total,
            "pages_done": b.pages_done, "progress": b.progress, "problems": b.problems,
            "documents": [_document(d) for d in batch_documents(b)]}


@router.post("/scans", response={202: ScanBatchOut, 400: ErrorOut, 403: ErrorOut}, url_name="scan_batch_create",
             summary="Upload a scan batch (a PDF, or page images), many cases mixed")
def scan_batch_create(request, files: File[list[UploadedFile]], station: Form[str] = ""):
    """Multipart: one PDF, or several page images (PNG, JPEG, TIFF) in order. Checked like every upload (type by
    content, size, resolution at least YUNTING_MIN_SCAN_DPI, damage); then each page is recognised by a
    background job and the batch is split at its cover sheets. 202 with the batch: follow it at
    GET /scans/{id} (`progress` in %); `status` ends `done` (its documents await the clerk, or were returned with
    `problems`) or `returned` (the whole batch, with `problems`). Scanning staff, clerks and archivists only."""
    batch = scan_batch_receive(user=caller(request), streams=list(files), station=station)
    return Status(202, _batch(batch))


@router.get("/scans/queue", response={200: list[ScanDocumentOut], 403: ErrorOut}, url_name="scan_queue",
            summary="Scanned documents routed back to the station, with the reasons")
def scan_queue(request):
    from yunting.workflows.scanning.services import station_court

    station_court(caller(request))
    return [_document(d) for d in station_queue(caller(request))[:200]]


@router.get("/scans/{id}", response={200: ScanBatchOut, 404: ErrorOut}, url_name="scan_batch",
            summary="A scan batch: progress, documents, problems")
def scan_batch(request, id: int):
    batch = batch_for(caller(request), id)
    if batch is None:
        raise errors.batch_not_found()
    return _batch(batch)

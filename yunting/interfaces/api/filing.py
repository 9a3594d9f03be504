"""Online filing over the API: the policy an integration codes against, a dry-run check, filing one case,
and institutions' batch filing (JSON lines) with progress and a field-level report.

Mount with `api.add_router("/", router)`: paths are /filing/policy, /filings/check, /filings/uploads,
/filings/uploads/{upload_id}, /filings,
/filings/{id},
/filings/batches, /filings/batches/{id}, /filings/batches/{id}/accept, /filings/webhook.

Institutions authenticate with their filing key (`Authorization: Bearer ytk_…`, issued by the court admin with
`yunting filing_key create ORG`); people with their API token or web session.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Body, Field, File, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from yunting.core.efile.intake import upload_for, upload_receive
from yunting.kernel.common.errors import NotFound, PermissionDenied
from yunting.workflows.filing.acceptance import filing_accept_batch
from yunting.workflows.filing.batches import batch_create, institution_key_authenticate
from yunting.workflows.filing.models import Filing, FilingBatch, InstitutionApiKey
from yunting.workflows.filing.policy import filing_policy
from yunting.workflows.filing.selectors import access_filing_for, batch_for_institution
from yunting.workflows.filing.services import (
    filing_save_draft,
    filing_submit,
    is_reviewer,
)
from yunting.workflows.filing.validation import Lookups, fee_for, validate_payload
from yunting.workflows.filing.webhooks import webhook_set

from . import serialize
from .auth import API_AUTH, credential_failed, credential_guard
from .errors import request_too_large_body
from .schemas import ErrorOut, UploadStateOut


class InstitutionKeyAuth(HttpBearer):
    """`Authorization: Bearer ytk_…`: an institution's filing key. Other bearer tokens fall through to the
    personal-token auth; a ytk_ key that is unknown or revoked is answered 401 at once."""

    def authenticate(self, request, token):
        if not token.startswith("ytk_"):
            return None
        credential_guard(request, token)
        key = institution_key_authenticate(token)
        if key is None:
            credential_failed(request, token)
            raise AuthenticationError()
        request.institution_key = key
        return key


institution_auth = InstitutionKeyAuth()


class ProblemOut(Schema):
    field: str = Field(description="Where: court, parties[1].id_number, claims …")
    code: str = Field(description="Stable machine code: required, unknown, ric_checksum, amount_invalid …")
    message: str = Field(description="The reason in Chinese, for people.")


class CheckOut(Schema):
    ok: bool
    problems: list[ProblemOut]
    fee: dict[str, Any] | None = Field(None, description="The fee with its steps, when the filing is valid.")
    policy_version: str


class PartyOut(Schema):
    role: str
    kind: str
    name: str


class DocumentRefOut(Schema):
    upload_id: str | None = Field(None, description="The filer's upload it came from (empty when generated).")
    sha256: str
    title: str
    kind: str
    generated: bool = Field(description="Generated from the filing (complaint, evidence list), not uploaded.")


class UploadOut(UploadStateOut):
    """`upload_id` is what a filing's documents name; `sha256`, `size` and `mime_type` describe the bytes as
    received (the type detected from the content, never from the name); `document_sha256` is what enters the
    file once accepted (a photo of paper becomes a PDF)."""


class FilingOut(Schema):
    id: int
    status: str
    court: str | None
    case_type: str | None
    cause: str | None
    procedure: str
    claim_amount: str | None
    claims: list[str]
    parties: list[PartyOut]
    fee: dict[str, Any]
    submitted_at: datetime | None
    deadline: date | None = Field(description="Last day to register or refuse (7 days, CPL 85 counting).")
    decided_at: datetime | None
    decision_reason: str
    supplement_request: str
    supplement_deadline: date | None
    case_id: int | None
    case_number: str | None
    notice_status: str
    external_id: str
    questionnaire: dict[str, str]
    documents: list[DocumentRefOut]


class BatchOut(Schema):
    id: int
    status: str = Field(description="received | processing | done | failed")
    sha256: str
    total_lines: int
    processed_lines: int
    filed: int
    duplicates: int = Field(description="Records whose external_id was already filed: not filed again.")
    invalid: int
    report: list[dict[str, Any]] = Field(description="[{line, external_id, errors: [{field, code, message}]}]")
    error_message: str
    created_at: datetime
    finished_at: datetime | None


class WebhookIn(Schema):
    url: str = Field(description="https:// endpoint")


class WebhookOut(Schema):
    url: str
    secret: str = Field(description="HMAC-SHA256 key; shown only in this answer.")
    active: bool


class AcceptOut(Schema):
    accepted: int
    failed: list[dict[str, Any]]


def filing_out(f: Filing) -> dict:
    return {
        "id": f.pk, "status": f.status, "court": f.court.court_code if f.court_id else None,
        "case_type": f.case_type_id, "cause": f.cause.name if f.cause_id else None, "procedure": f.procedure,
        "claim_amount": None if f.claim_amount is None else format(f.claim_amount, "f"), "claims": f.claims or [],
        "parties": [{"role": p.role, "kind": p.kind, "name": p.name} for p in f.parties.all()],
        "fee": f.fee or {}, "submitted_at": f.submitted_at, "deadline": f.deadline, "decided_at": f.decided_at,
        "decision_reason": f.decision_reason, "supplement_request": f.supplement_request,
        "supplement_deadline": f.supplement_deadline, "case_id": f.case_id,
        "case_number": f.case.number if f.case_id else None, "notice_status": f.notice_status,
        "external_id": f.external_id, "questionnaire": f.questionnaire or {},
        "documents": [{"upload_id": d.upload_id, "sha256": d.blob_id, "title": d.title, "kind": d.kind,
                       "generated": d.generated}
                      for d in f.documents.all()],
    }


def batch_out(b: FilingBatch) -> dict:
    return {k: getattr(b, k) for k in ("id", "status", "sha256", "total_lines", "processed_lines", "filed",
                                       "duplicates", "invalid", "report", "error_message", "created_at",
                                       "finished_at")}


def _read_batch_body(request) -> bytes | None:
    """The raw body, read from the request stream up to settings.BATCH_MAX_BYTES (Django's in-memory limit for
    form and JSON bodies, DATA_UPLOAD_MAX_MEMORY_SIZE, is for ordinary requests, not batches); None when over.
    A declared Content-Length over the limit is refused before a byte is read."""
    limit = settings.BATCH_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    if hasattr(request, "_body"):  # already read by someone (tests through the client may do so)
        body = request._body
    else:
        body = request.read(limit + 1)
    return None if len(body) > limit else body


def _key(request) -> InstitutionApiKey | None:
    return getattr(request, "institution_key", None)


def make_router() -> Router:
    router = Router(tags=["filing"])

    @router.get("/filing/policy", auth=None, url_name="filing_policy",
                summary="What a filing may contain: case types, causes, kinds, fee rules (versioned)")
    def policy(request):
        return filing_policy()

    @router.post("/filings/check", auth=[institution_auth, *API_AUTH], response={200: CheckOut},
                 url_name="filing_check", summary="Dry run: every problem of a filing at once; nothing is stored")
    def check(request, payload: Body[dict[str, Any]]):
        """The body is a filing exactly as POST /filings takes it."""
        key = _key(request)
        owner = {"institution": key.institution} if key else {"user": request.auth}
        problems, cleaned = validate_payload(payload, lookups=Lookups(**owner), court=key.court if key else None)
        fee = None
        if cleaned is not None:
            fee = fee_for(case_type=cleaned.case_type, cause=cleaned.cause, amount=cleaned.claim_amount,
                          procedure=cleaned.procedure or cleaned.case_type.default_procedure)
        return {"ok": not problems, "problems": [p.as_dict() for p in problems], "fee": fee,
                "policy_version": filing_policy()["version"]}

    @router.post("/filings/uploads", auth=[institution_auth, *API_AUTH], response={201: UploadOut, 400: ErrorOut},
                 url_name="filing_upload", summary="Upload a document for a filing; answers the upload to name")
    def upload(request, file: File[UploadedFile]):
        """Multipart. Stored at once and answered with `upload_id` (`status: checking`); the content is checked in
        the background (type by magic bytes — PDF, images, audio, video, DOCX, never ZIP —, the size limit
        YUNTING_UPLOAD_MAX_MB, the caller's storage quota, pages, scan resolution, damaged, encrypted or oversized
        files), then `accepted` or `refused` with every problem: follow it at GET /filings/uploads/{upload_id}.
        Name it in POST /filings (or in a batch record) as {"upload_id", "title", "kind"}. Only the caller's own
        uploads can be named; a SHA-256 is accepted only for bytes the caller uploaded itself."""
        key = _key(request)
        owner = {"institution": key.institution} if key else {"user": request.auth}
        upload = upload_receive(streams=[file], purpose="filing", **owner,
                                intent={"filename": (file.name or "")[:255]})
        upload.refresh_from_db()
        return Status(201, serialize.upload_state(upload))

    @router.get("/filings/uploads/{upload_id}", auth=[institution_auth, *API_AUTH],
                response={200: UploadOut, 404: ErrorOut}, url_name="filing_upload_detail",
                summary="An upload's state: checking, accepted, or refused with every problem")
    def upload_detail(request, upload_id: str):
        key = _key(request)
        owner = {"institution": key.institution} if key else {"user": request.auth}
        upload = upload_for(upload_id=upload_id, **owner)
        if upload is None:
            raise NotFound(_("There is no such upload."), code="upload_not_found")
        return serialize.upload_state(upload)

    @router.post("/filings", auth=API_AUTH, response={201: FilingOut, 400: ErrorOut}, url_name="filing_create",
                 summary="File one case (a party or a lawyer): validated and submitted, or refused with every problem")
    def create(request, payload: Body[dict[str, Any]]):
        with transaction.atomic():  # refused input leaves no draft behind
            filing = filing_save_draft(filer=request.auth, data=payload)
            filing = filing_submit(filing=filing, actor=request.auth)
        return Status(201, filing_out(filing))

    @router.get("/filings/{int:id}", auth=API_AUTH, response={200: FilingOut, 404: ErrorOut}, url_name="filing_detail",
                summary="A filing's status (its filer, the lawyer's client, or the court's filing officers)")
    def detail(request, id: int):
        return filing_out(access_filing_for(request.auth, id))

    @router.post("/filings/batches", auth=[institution_auth],
                 response={202: BatchOut, 400: ErrorOut, 401: ErrorOut, 413: ErrorOut},
                 url_name="filing_batch_create",
                 summary="Institutions: file many cases as JSON lines or a ZIP (JSON lines + documents)")
    def batch_submit(request):
        """The body (application/x-ndjson, or application/zip holding one top-level `records.jsonl` and the
        documents its records name as `{"path", "title", "kind"}`) is stored with its SHA-256 and answered at
        once; records are processed in the background, each validated on its own (see the batch's `report`).
        Each record is a filing as for POST /filings plus `external_id`, the institution's own id: a record
        whose external_id was filed before is counted as a duplicate and never filed twice. Sending the same
        bytes again returns the same batch. The body may be up to YUNTING_BATCH_MAX_MB (default 200 MB); a larger
        one is answered 413 before it is read."""
        body = _read_batch_body(request)
        if body is None:
            return Status(413, request_too_large_body(settings.BATCH_MAX_BYTES))
        return Status(202, batch_out(batch_create(key=_key(request), body=body)))

    @router.get("/filings/batches/{int:id}", auth=[institution_auth], response={200: BatchOut, 404: ErrorOut},
                url_name="filing_batch_detail", summary="Institutions: a batch's progress and its report")
    def batch_detail(request, id: int):
        return batch_out(batch_for_institution(_key(request).institution, id))

    @router.post("/filings/batches/{int:id}/accept", auth=API_AUTH, response={200: AcceptOut, 403: ErrorOut,
                 404: ErrorOut}, url_name="filing_batch_accept", summary="Filing officers: accept a whole batch (一键立案)")
    def batch_accept(request, id: int):
        batch = FilingBatch.objects.filter(pk=id).select_related("court").first()
        if batch is None or not is_reviewer(request.auth, batch.court_id):
            raise PermissionDenied(_("Only this court's filing officers can accept filings in bulk."), code="filing_not_reviewer")
        return filing_accept_batch(actor=request.auth, court=batch.court, batch=batch)

    @router.put("/filings/webhook", auth=[institution_auth], response={200: WebhookOut, 400: ErrorOut},
                url_name="filing_webhook_set", summary="Institutions: set the callback URL; returns a new secret, once")
    def webhook_put(request, payload: WebhookIn):
        """Review (accepted / rejected / supplement_requested) and docketing messages are POSTed there as JSON
        (OASIS ECF ReviewFilingCallbackMessage / NotifyDocketingCompleteMessage shapes), signed
        `X-Yunting-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, retried with exponential
        backoff (30 s doubling, up to 8 attempts) until a 2xx answer."""
        key = _key(request)
        hook, secret = webhook_set(institution=key.institution, court=key.court, url=payload.url)
        return {"url": hook.url, "secret": secret, "active": hook.active}

    return router


router = make_router()

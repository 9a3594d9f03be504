"""Cases, their journals and their e-files — as the caller may see them (yunting.core.cases.access)."""

from __future__ import annotations

from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.selectors import case_list_for, case_participants, case_parties
from yunting.core.efile.selectors import efile_catalog_for, efile_secondary_hashes
from yunting.core.efile.services import efile_submit
from yunting.core.journal.selectors import journal_for_case
from yunting.kernel.security.audit import client_ip, read_log, read_logs

from . import serialize
from .auth import API_AUTH, caller
from .pagination import page_param, page_size_param, paginate
from .schemas import (
    CaseDetailOut,
    CasePageOut,
    DocumentOut,
    EfileOut,
    ErrorOut,
    JournalPageOut,
    UploadStateOut,
)

router = Router(auth=API_AUTH, tags=["cases"])
NOT_FOUND = {404: ErrorOut}


def _log(request, *, action: str, case_id: int, object_type: str = "case", object_id: int | str = "") -> None:
    read_log(
        user=caller(request), action=action, channel="api", case_id=case_id, object_type=object_type,
        object_id=object_id if object_id != "" else case_id, ip=client_ip(request),
    )


@router.get("/cases", response=CasePageOut, url_name="case_list", summary="The caller's cases")
def case_list(
    request,
    q: str = Query("", description="Search number, title, cause and party names (Chinese-aware)."),
    status: str = Query("", description="Case status, e.g. registered."),
    type_code: str = Query("", description="Type code (类型代字), e.g. 民初."),
    year: int | None = Query(None, description="Year in the case number."),
    page: int = page_param(),
    page_size: int = page_size_param(),
):
    qs = case_list_for(caller(request), q=q, status=status, type_code=type_code, year=year)
    result = paginate(qs, page=page, page_size=page_size)
    return {**result, "items": [serialize.case_item(c) for c in result["items"]]}


@router.get("/cases/{id}", response={200: CaseDetailOut, **NOT_FOUND}, url_name="case_detail",
            summary="One case with parties and participants")
def case_detail(request, id: int):
    access = access_case_for(caller(request), id, need=Capability.VIEW_CASE)
    parties = list(case_parties(access.case))
    pk = access.case.pk
    reads = [{"action": "case.view", "case_id": pk, "object_type": "case", "object_id": pk}]
    if access.can(Capability.VIEW_PERSONAL_DATA):
        reads += [{"action": "party.personal_data", "case_id": pk, "object_type": "party", "object_id": p.pk}
                  for p in parties]
    read_logs(user=caller(request), channel="api", ip=client_ip(request), reads=reads)  # one transaction for all
    return serialize.case_detail(access, parties=parties, participants=case_participants(access.case))


@router.get("/cases/{id}/journal", response={200: JournalPageOut, **NOT_FOUND}, url_name="case_journal",
            summary="The case's journal, oldest first, with its hash chain")
def case_journal(request, id: int, page: int = page_param(), page_size: int = page_size_param()):
    access = access_case_for(caller(request), id, need=Capability.VIEW_CASE)
    hidden = set() if access.can(Capability.VIEW_SECONDARY) else efile_secondary_hashes(access.case)
    result = paginate(journal_for_case(access.case), page=page, page_size=page_size)
    _log(request, action="journal.view", case_id=access.case.pk)
    return {
        **result,
        "case_id": access.case.pk,
        "case_number": access.case.number,
        "items": [serialize.journal_entry(e, hidden_hashes=hidden) for e in result["items"]],
    }


@router.get("/cases/{id}/efile", response={200: EfileOut, **NOT_FOUND}, url_name="case_efile",
            summary="The e-file catalogue: volumes → sections → documents")
def case_efile(request, id: int, q: str = Query("", description="Search document titles and text.")):
    access = access_case_for(caller(request), id, need=Capability.VIEW_EFILE)
    volumes = efile_catalog_for(access.case, include_secondary=access.can(Capability.VIEW_SECONDARY), q=q)
    _log(request, action="efile.view", case_id=access.case.pk)
    return serialize.efile_catalog(access.case, volumes, q=q)


@router.post("/cases/{id}/documents", response={201: DocumentOut, 202: UploadStateOut, 400: ErrorOut, 422: ErrorOut, **NOT_FOUND},
             url_name="case_document_submit", summary="Submit a document into the case's e-file")
def case_document_submit(request, id: int, file: File[UploadedFile], title: Form[str], kind: Form[str] = ""):
    """Multipart upload. The type is detected from the content (PDF, images, audio, video, DOCX; not ZIP), never
    from the name; the size limit is YUNTING_UPLOAD_MAX_MB, within the caller's storage quota. The content is
    checked in the background: 202 with the upload (`status: checking`; follow it at
    GET /filings/uploads/{upload_id}) — or, when the check has already ended, 201 with the document filed into
    its catalogue section via the journal, or 400 with every problem. A party or lawyer submits party kinds only
    (起诉状, 答辩状, 证据, 代理词, 申请书 …): a court kind (判决书, 裁定书, 调解书, 传票, 支付令 …) answers 422
    `document_kind_not_allowed`. Without `kind`, the submitter's default applies (a defendant's 答辩状, a
    plaintiff's evidence)."""
    from yunting.core.efile.intake import upload_refusal
    from yunting.core.efile.models import Document, UploadStatus

    access = access_case_for(caller(request), id, need=Capability.SUBMIT_DOCUMENTS)
    upload = efile_submit(access=access, actor=caller(request), stream=file, title=title, kind=kind,
                          filename=file.name or "")
    upload.refresh_from_db()
    if upload.status == UploadStatus.REFUSED:
        raise upload_refusal(upload)
    if upload.status == UploadStatus.ACCEPTED:
        document = Document.objects.select_related("section", "blob", "entry").get(pk=upload.outcome["document_id"])
        return Status(201, serialize.document(document))
    return Status(202, serialize.upload_state(upload))

"""Web pages. Each view parses input, gets the case or document through an access function, reads through a
selector, writes the read log, and renders. "Not yours" and "no such thing" are the same 404."""

from __future__ import annotations

import re
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yunting.core.cases.access import Capability, access_case_for, access_document_for, cases_visible_to
from yunting.core.cases.errors import CaseNotFound, DocumentNotFound
from yunting.core.cases.selectors import case_list_for, case_participants, case_parties
from yunting.core.efile.intake import upload_refusal
from yunting.core.efile.models import UploadStatus
from yunting.core.efile.selectors import efile_catalog_for
from yunting.core.efile.services import (
    efile_default_kind,
    efile_merged_pdf,
    efile_submit,
    efile_submittable_kinds,
)
from yunting.core.journal.selectors import journal_for_case
from yunting.kernel.blobs.store import blob_iter, blob_open
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.security.audit import client_ip, read_log, read_logs

from . import labels
from .forms import CaseFilterForm, EfileSearchForm, ReadLogFilterForm
from .selectors import (
    case_facets,
    case_roles_for,
    is_court_admin,
    read_log_actions,
    read_log_describe,
    read_log_for_admin,
)

CASES_PER_PAGE = 20
READ_LOG_PER_PAGE = 50


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


def _case_access(request, case_id, need: Capability = Capability.VIEW_CASE):
    try:
        return access_case_for(request.user, case_id, need=need)
    except CaseNotFound:
        raise Http404("case") from None


def _document_access(request, document_id):
    try:
        return access_document_for(request.user, document_id)
    except DocumentNotFound:
        raise Http404("document") from None


def _log(request, action: str, *, case_id=None, object_type: str = "", object_id="") -> None:
    read_log(user=request.user, action=action, channel="web", case_id=case_id, object_type=object_type,
             object_id=object_id, ip=client_ip(request))


JOURNAL_PER_PAGE = 20


def _journal_page(request, case):
    """One page of the case journal, newest first (`?journal_page=`), so every entry can be reached."""
    return Paginator(journal_for_case(case, newest_first=True), JOURNAL_PER_PAGE).get_page(
        request.GET.get("journal_page"))


def _entry_labels() -> dict[str, str]:
    return {kind: str(label) for kind, label in labels.ENTRY_KIND_LABELS.items()}


@login_required
@require_GET
def workbench(request):
    """我的案件: the cases the user may see, searchable and filterable, 20 per page."""
    form = CaseFilterForm(request.GET)
    filters = form.filters()
    visible = cases_visible_to(request.user)
    types, years, total = case_facets(visible)
    paginator = Paginator(case_list_for(request.user, visible=visible, **filters), CASES_PER_PAGE)
    if not any(filters.values()):
        paginator.count = total  # the facets counted the same cases: no second pass for the page count
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "web/workbench.html", {
        "form": form, "filters": filters, "page": page, "types": types, "years": years,
        "roles": case_roles_for(request.user, list(page)),
        "filtered": any(filters.values()),
    })


@login_required
@require_GET
def case_detail(request, case_id: int):
    access = _case_access(request, case_id)
    case = access.case
    show_personal = access.can(Capability.VIEW_PERSONAL_DATA)
    parties = list(case_parties(case))
    reads = [{"action": "case.view", "case_id": case.pk, "object_type": "case", "object_id": case.pk}]
    if show_personal:
        reads += [{"action": "party.personal_data", "case_id": case.pk, "object_type": "party", "object_id": party.pk}
                  for party in parties if party.id_number or party.phone]
    read_logs(user=request.user, channel="web", ip=client_ip(request), reads=reads)  # one transaction for all
    return render(request, "web/case_detail.html", {
        "access": access, "case": case, "parties": parties, "show_personal": show_personal,
        "participants": case_participants(case), "journal_page": (journal := _journal_page(request, case)),
        "journal": journal.object_list,
        "my_roles": case_roles_for(request.user, [case]).get(case.pk, []),
        "can_efile": access.can(Capability.VIEW_EFILE), "entry_labels": _entry_labels(),
    })


@login_required
@require_GET
def efile(request, case_id: int):
    """电子卷宗: the catalogue tree, search within it, and the viewer for the chosen document."""
    access = _case_access(request, case_id, need=Capability.VIEW_EFILE)
    case = access.case
    include_secondary = access.can(Capability.VIEW_SECONDARY)
    q = EfileSearchForm(request.GET).query()
    catalog = efile_catalog_for(case, include_secondary=include_secondary, q=q)
    documents = [doc for volume in catalog for node in volume.sections for doc in node.documents]
    selected = None
    if request.GET.get("doc"):
        selected, _ = _document_access(request, request.GET["doc"])
        if selected.case_id != case.pk:
            raise Http404("document")
    _log(request, "efile.view", case_id=case.pk, object_type="case", object_id=case.pk)
    return render(request, "web/efile.html", {
        "access": access, "case": case, "catalog": catalog, "q": q, "documents": documents,
        "page_total": sum(d.page_count for d in documents), "selected": selected,
        "include_secondary": include_secondary, "journal_page": (journal := _journal_page(request, case)),
        "journal": journal.object_list,
        "entry_labels": _entry_labels(),
        "submittable_kinds": efile_submittable_kinds(access=access) if access.can(Capability.SUBMIT_DOCUMENTS) else [],
        "default_kind": efile_default_kind(access=access, user=request.user)
        if access.can(Capability.SUBMIT_DOCUMENTS) else "",
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    })


@login_required
@require_POST
def document_submit(request, case_id: int):
    """Upload one document into the e-file; errors come back as a message on the e-file page, nothing filed."""
    access = _case_access(request, case_id, need=Capability.SUBMIT_DOCUMENTS)
    upload = request.FILES.get("file")
    efile_url = reverse("web:efile", args=[case_id])
    if upload is None:
        messages.error(request, _("Choose a file to submit."))
        return redirect(efile_url)
    try:
        received = efile_submit(access=access, actor=request.user, stream=upload, title=request.POST.get("title", ""),
                                kind=request.POST.get("kind", ""), filename=upload.name or "")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(efile_url)
    received.refresh_from_db()
    if received.status == UploadStatus.REFUSED:
        messages.error(request, upload_refusal(received).message)
        return redirect(efile_url)
    if received.status == UploadStatus.CHECKING:
        messages.info(request, _("Received “%(title)s”; its content is being checked, and it enters the e-file "
                                 "once it passes.") % {"title": received.title})
        return redirect(efile_url)
    messages.success(request, _("Filed into the e-file: %(title)s") % {"title": received.title})
    return redirect(f"{efile_url}?doc={received.outcome['document_id']}")


@login_required
@require_GET
def document_viewer(request, document_id: int):
    """The viewer pane for one document (HTMX swaps it in); a plain request goes to the e-file page showing it."""
    document, access = _document_access(request, document_id)
    if not request.htmx:
        return redirect(f"{reverse('web:efile', args=[document.case_id])}?doc={document.pk}")
    return render(request, "web/_viewer.html", {"selected": document, "case": access.case})


@login_required
@require_GET
def document_content(request, document_id: int):
    """The document's bytes, streamed from blob storage; the type is the one sniffed at upload, never guessed.

    A single byte range is honoured so that hearing videos can be seeked; only the first request of a reading
    (no range, or one from byte 0) goes into the read log, not every chunk a player asks for.
    """
    document, access = _document_access(request, document_id)
    blob = document.blob
    byte_range = _parse_range(request.headers.get("Range", ""), blob.size)
    if byte_range is None or byte_range[0] == 0:
        _log(request, "document.read", case_id=document.case_id, object_type="document", object_id=document.pk)
    if byte_range is None:
        response = StreamingHttpResponse(blob_iter(document.blob_id), content_type=blob.mime_type)
        response["Content-Length"] = str(blob.size)
    else:
        start, end = byte_range
        response = StreamingHttpResponse(_blob_slice(document.blob_id, start, end), status=206,
                                         content_type=blob.mime_type)
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{blob.size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(False, _download_name(document))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; None means the whole file."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if not match or size == 0 or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end else None


def _blob_slice(sha256: str, start: int, end: int, chunk_size: int = 1024 * 1024):
    with blob_open(sha256) as fh:
        fh.seek(start)
        remaining = end - start + 1
        while remaining > 0 and (chunk := fh.read(min(chunk_size, remaining))):
            remaining -= len(chunk)
            yield chunk


def _download_name(document) -> str:
    extension = {"application/pdf": ".pdf"}.get(document.blob.mime_type, "")
    name = document.filename or document.title
    return name if not extension or name.lower().endswith(extension) else name + extension


@login_required
@require_GET
def efile_pdf(request, case_id: int):
    """The whole e-file as one PDF with a bookmark per section; 副卷 only for those who may see it."""
    access = _case_access(request, case_id, need=Capability.VIEW_EFILE)
    case = access.case
    out = tempfile.TemporaryFile(dir=settings.BLOB_TMP_DIR)
    efile_merged_pdf(case=case, out=out, include_secondary=access.can(Capability.VIEW_SECONDARY))
    out.seek(0)
    _log(request, "efile.download", case_id=case.pk, object_type="case", object_id=case.pk)
    response = FileResponse(out, content_type="application/pdf", as_attachment=True,
                            filename=f"{case.number}电子卷宗.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def read_log_list(request):
    """阅卷日志 for court administrators: who read which case, document or personal data, and when."""
    if not is_court_admin(request.user):
        raise PermissionDenied
    _log(request, "readlog.view", object_type="readlog")  # first: the page then lists its own read too
    form = ReadLogFilterForm(request.GET)
    rows = read_log_for_admin(request.user, **form.filters())
    page = Paginator(rows, READ_LOG_PER_PAGE).get_page(request.GET.get("page"))
    read_log_describe(page.object_list)
    return render(request, "web/read_log.html", {"form": form, "page": page, "actions": read_log_actions()})

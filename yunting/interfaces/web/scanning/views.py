"""扫描 pages: the station (upload a batch, watch it, the queue routed back), the clerk's queue of scans to file,
a case's paper (cover sheets, originals and their movements), the store's list, and full-text search.
Each view: access, one service or selector, a message, back."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.efile.catalog import kind_label
from yunting.core.efile.services import efile_submittable_kinds
from yunting.core.people.models import Membership, User
from yunting.kernel.blobs.store import blob_read
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.scanning import selectors as sel
from yunting.workflows.scanning import services
from yunting.workflows.scanning.i18n import _
from yunting.workflows.scanning.models import BatchStatus, Original


def _case_access(request, case_id):
    try:
        return access_case_for(request.user, case_id, need=Capability.WRITE_JOURNAL)
    except CaseNotFound:
        raise Http404("case") from None


# --- the station ----------------------------------------------------------------------------------------------
@login_required
def station(request):
    if not sel.station_court_ids(request.user):
        raise Http404("station")
    if request.method == "POST":
        try:
            batch = services.scan_batch_receive(user=request.user, streams=request.FILES.getlist("files"),
                                                station=request.POST.get("station", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("scanning:station")
        if batch.status == BatchStatus.RETURNED:
            messages.error(request, " ".join(p["message"] for p in batch.problems))
        else:
            messages.success(request, _("The batch was received; its pages are being recognised."))
        return redirect("scanning:batch", batch.pk)
    return render(request, "scanning/station.html", {
        "batches": sel.batches_for_station(request.user, limit=30), "queue": list(sel.station_queue(request.user)[:100]),
        "section": "scanning"})


@login_required
def batch(request, batch_id):
    found = sel.batch_for(request.user, batch_id)
    if found is None:
        raise Http404("batch")
    context = {"batch": found, "documents": sel.batch_documents(found), "section": "scanning",
               "working": found.status in (BatchStatus.CHECKING, BatchStatus.PROCESSING, BatchStatus.SPLITTING)}
    if request.headers.get("HX-Request"):
        return render(request, "scanning/_batch_body.html", context)
    return render(request, "scanning/batch.html", context)


# --- the clerk ---------------------------------------------------------------------------------------------------
@login_required
def review(request):
    docs = list(sel.clerk_queue(request.user)[:200])
    kinds: dict[int, list] = {}
    for doc in docs:
        if doc.case_id not in kinds:
            kinds[doc.case_id] = efile_submittable_kinds(access=access_case_for(request.user, doc.case_id,
                                                                               need=Capability.WRITE_JOURNAL))
        doc.kind_choices = kinds[doc.case_id]
        doc.suggested_label = kind_label(doc.suggested_kind)
    return render(request, "scanning/review.html", {"documents": docs, "section": "scanning_review"})


def _scan_doc(request, document_id):
    doc = sel.scan_document_for(request.user, document_id)
    if doc is None:
        raise Http404("scan")
    return doc


@login_required
@require_POST
def decide(request, document_id):
    doc = _scan_doc(request, document_id)
    try:
        access = access_case_for(request.user, doc.case_id or 0, need=Capability.WRITE_JOURNAL)
        if request.POST.get("action") == "return":
            services.scan_document_return(access=access, actor=request.user, document=doc,
                                          reason=request.POST.get("reason", ""))
            messages.success(request, _("Returned to the scanning station."))
        else:
            filed = services.scan_document_file(access=access, actor=request.user, document=doc,
                                                kind=request.POST.get("kind", ""), title=request.POST.get("title", ""))
            messages.success(request, _("Filed into the e-file as %(kind)s.") % {"kind": kind_label(filed.kind)})
    except CaseNotFound:
        raise Http404("scan") from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/scanning/")
                    else reverse("scanning:review"))


@login_required
def scan_pdf(request, document_id):
    """The searchable PDF of a scanned document (station staff of its court, court staff of its case)."""
    doc = _scan_doc(request, document_id)
    if doc.blob_id is None:
        raise Http404("pdf")
    read_log(user=request.user, action="scan.view", channel="web", case_id=doc.case_id, object_type="scan_document",
             object_id=doc.pk, ip=client_ip(request))
    response = HttpResponse(blob_read(doc.blob_id), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="scan-{doc.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


# --- a case's paper -----------------------------------------------------------------------------------------------
@login_required
def case_paper(request, case_id):
    access = _case_access(request, case_id)
    case = access.case
    read_log(user=request.user, action="originals.view", channel="web", case_id=case.pk, object_type="case",
             object_id=case.pk, ip=client_ip(request))
    staff = (User.objects.filter(memberships__organisation_id=case.court_id, memberships__role__in=[
        "judge", "judge_assistant", "clerk", "archivist", "scanner", "court_admin"]).distinct().order_by("real_name"))
    return render(request, "scanning/case_paper.html", {
        "case": case, "kinds": efile_submittable_kinds(access=access), "originals": sel.originals_of(case),
        "unaccounted": sel.originals_unaccounted(case), "staff": staff, "section": "court_work",
        "today": date.today().isoformat()})


@login_required
@require_POST
def cover_sheet(request, case_id):
    access = _case_access(request, case_id)
    try:
        sheet = services.cover_sheet_create(access=access, actor=request.user, kind=request.POST.get("kind", ""),
                                            title=request.POST.get("title", ""),
                                            declared_pages=request.POST.get("declared_pages") or None)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("scanning:case_paper", access.case.pk)
    response = HttpResponse(sel.cover_sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cover-{sheet.barcode}.pdf"'
    return response


@login_required
@require_POST
def original_register(request, case_id):
    access = _case_access(request, case_id)
    try:
        o = services.original_register(access=access, actor=request.user, description=request.POST.get("description", ""),
                                       location=request.POST.get("location", ""), barcode=request.POST.get("barcode", ""))
        messages.success(request, _("Original %(barcode)s registered in the store.") % {"barcode": o.barcode})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("scanning:case_paper", access.case.pk)


@login_required
@require_POST
def original_move(request, case_id, original_id):
    access = _case_access(request, case_id)
    original = Original.objects.filter(pk=original_id, case=access.case).first()
    if original is None:
        raise Http404("original")
    holder = None
    if request.POST.get("holder"):
        holder = User.objects.filter(pk=request.POST["holder"], memberships__organisation_id=access.case.court_id
                                     ).distinct().first()
    due = None
    try:
        due = date.fromisoformat(request.POST["due_back"]) if request.POST.get("due_back") else None
    except ValueError:
        messages.error(request, _("Enter the due date as YYYY-MM-DD."))
        return redirect("scanning:case_paper", access.case.pk)
    try:
        services.original_move(access=access, actor=request.user, original=original,
                               action=request.POST.get("action", ""), location=request.POST.get("location", ""),
                               holder=holder, reason=request.POST.get("reason", ""), due_back=due)
        messages.success(request, _("Movement recorded."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("scanning:case_paper", access.case.pk)


@login_required
def originals(request):
    """The intermediate store: originals of the cases the user works as court staff (lent ones first)."""
    if not Membership.objects.filter(user=request.user, organisation__kind="court").exists():
        raise Http404("store")
    q = request.GET.get("q", "")
    rows = list(sel.originals_in_store(request.user, q=q, lent_only=request.GET.get("lent") == "1")[:300])
    return render(request, "scanning/originals.html", {"rows": rows, "q": q, "lent": request.GET.get("lent") == "1",
                                                       "section": "originals"})


# --- search --------------------------------------------------------------------------------------------------
@login_required
def search(request):
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    q = request.GET.get("q", "")
    result = sel.efile_search(user=request.user, q=q, page=number)
    if q.strip():
        read_log(user=request.user, action="efile.search", channel="web", object_type="search",
                 object_id=q.strip()[:100], ip=client_ip(request))
    return render(request, "scanning/search.html", {"result": result, "q": q, "section": "search"})

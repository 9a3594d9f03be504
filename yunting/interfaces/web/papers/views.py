"""Court papers in the browser. Views parse input, call one access function and one service, and render."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.papers import services
from yunting.core.papers.batch import seal_job_create
from yunting.core.papers.errors import PaperNotFound
from yunting.core.papers.models import PaperStatus, SealJob
from yunting.core.papers.selectors import (
    paper_next_slot,
    paper_signed_labels,
    papers_awaiting_seal,
    papers_for_case,
)
from yunting.core.people.models import Organisation
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.documents.library import SlotKind, template_get, template_list

MAX_VERIFY_BYTES = 50 * 1024 * 1024


def _case(request, case_id, need=Capability.WRITE_JOURNAL):
    try:
        return access_case_for(request.user, case_id, need=need).case
    except CaseNotFound:
        raise Http404("case") from None


def _paper(request, paper_id, need=Capability.WRITE_JOURNAL):
    try:
        return services.access_paper_for(request.user, paper_id, need=need)
    except PaperNotFound:
        raise Http404("paper") from None


@login_required
@require_GET
def case_papers(request, case_id: int):
    try:
        access = access_case_for(request.user, case_id, need=Capability.WRITE_JOURNAL)
    except CaseNotFound:
        raise Http404("case") from None
    case = access.case
    papers = list(papers_for_case(case))
    for p in papers:
        p.next_slot = paper_next_slot(p) if p.status == PaperStatus.ISSUED else None
        p.signed_labels = paper_signed_labels(p)
    return render(request, "papers/case_papers.html", {"access": access, "case": case, "papers": papers,
                                                       "templates": template_list()})


@login_required
@require_POST
def paper_new(request, case_id: int):
    case = _case(request, case_id)
    try:
        paper = services.paper_draft(case=case, template_code=request.POST.get("template", ""), actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("papers:case", case_id=case.pk)
    return redirect("papers:edit", paper_id=paper.pk)


@login_required
@require_http_methods(["GET", "POST"])
def paper_edit(request, paper_id: int):
    """The draft: edit the free-text parts, preview, issue. An issued paper shows its signing state."""
    paper = _paper(request, paper_id)
    errors: dict[str, str] = {}
    if request.method == "POST" and paper.status == PaperStatus.DRAFT:
        values = {f.name: request.POST.get(f.name, "") for f in services.paper_form_fields(paper)}
        try:
            paper = services.paper_update(paper=paper, actor=request.user, values=values)
            if request.POST.get("action") == "issue":
                paper = services.paper_issue(paper=paper, actor=request.user)
                messages.success(request, f"{paper.title}已签发，已归入电子卷宗。")
            else:
                messages.success(request, "草稿已保存。")
            return redirect("papers:edit", paper_id=paper.pk)
        except ApplicationError as exc:
            errors = exc.data.get("fields", {})
            messages.error(request, str(exc.message))
    fields = services.paper_form_fields(paper) if paper.status == PaperStatus.DRAFT else []
    values = {**paper.variables, **({k: request.POST.get(k) for k in request.POST} if errors else {})}
    rows = [{"var": f, "value": values.get(f.name) or "", "error": errors.get(f.name, "")} for f in fields]
    tpl = template_get(paper.template_code)
    return render(request, "papers/paper_edit.html", {
        "paper": paper, "case": paper.case, "rows": rows, "template": tpl, "next_slot": paper_next_slot(paper),
        "signatures": paper.signatures.select_related("signer", "certificate"),
        "can_seal": services.can_seal(request.user, paper.case.court),
    }, status=400 if errors else 200)


def _pdf_need(request, paper_id) -> Capability:
    """Drafts are for court staff; issued papers follow the e-file rule (副卷 papers are court-only)."""
    from yunting.core.efile.services import section_for
    from yunting.core.papers.models import Paper

    paper = Paper.objects.filter(pk=paper_id).select_related("case").first()
    if paper is None or paper.status == PaperStatus.DRAFT:
        return Capability.WRITE_JOURNAL
    section = section_for(case_type_id=paper.case.case_type_id, kind=paper.kind)
    return Capability.VIEW_SECONDARY if section.volume == "secondary" else Capability.VIEW_EFILE


@login_required
@require_GET
def paper_pdf(request, paper_id: int):
    paper = _paper(request, paper_id, need=_pdf_need(request, paper_id))
    try:
        pdf = services.paper_preview(paper)
    except ApplicationError as exc:
        return HttpResponseBadRequest(str(exc.message), content_type="text/plain; charset=utf-8")
    from yunting.kernel.security.audit import client_ip, read_log

    read_log(user=request.user, action="paper.read", channel="web", case_id=paper.case_id, object_type="paper",
             object_id=paper.pk, ip=client_ip(request))  # every download path writes the read log
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_POST
def paper_sign(request, paper_id: int):
    """Apply the next signature: a personal one, or the court seal for those who hold it."""
    paper = _paper(request, paper_id)
    slot = paper_next_slot(paper)
    try:
        if slot is not None and slot.kind == SlotKind.SEAL:
            services.paper_seal(paper=paper, actor=request.user)
        else:
            services.paper_sign(paper=paper, actor=request.user)
        messages.success(request, "已签章。")
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("papers:edit", paper_id=paper.pk)


def _data_url_png(value: str) -> bytes:
    prefix = "data:image/png;base64,"
    if not value.startswith(prefix):
        return b""
    try:
        return base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        return b""


@login_required
@require_http_methods(["GET", "POST"])
def paper_handsign(request, paper_id: int):
    """A party signs on a phone or tablet; the strokes go into the PDF, the platform signs on their behalf."""
    paper = _paper(request, paper_id, need=Capability.VIEW_CASE)
    slot = paper_next_slot(paper)
    if request.method == "POST":
        try:
            services.paper_handsign(
                paper=paper, actor=request.user, strokes_png=_data_url_png(request.POST.get("strokes", "")),
                device=request.headers.get("User-Agent", ""), session_key=request.session.session_key or "",
            )
        except PaperNotFound:
            raise Http404("paper") from None
        except ApplicationError as exc:
            return render(request, "papers/handsign.html", {"paper": paper, "slot": slot, "error": exc.message},
                          status=exc.http_status)
        return render(request, "papers/handsign.html", {"paper": paper, "slot": slot, "done": True})
    return render(request, "papers/handsign.html", {"paper": paper, "slot": slot})


def _seal_courts(user):
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=services.SEAL_ROLES).distinct()


@login_required
@require_http_methods(["GET", "POST"])
def seal_batch(request):
    """院印: choose issued papers awaiting the seal and seal them in one background job."""
    courts = list(_seal_courts(request.user))
    if not courts:
        raise Http404("seal")
    court = courts[0]
    if request.method == "POST":
        try:
            job = seal_job_create(actor=request.user, court=court, paper_ids=request.POST.getlist("paper"))
        except (ApplicationError, ValueError) as exc:
            messages.error(request, str(getattr(exc, "message", exc)))
            return redirect("papers:seal_batch")
        return redirect("papers:seal_job", job_id=job.pk)
    return render(request, "papers/seal_batch.html", {"court": court, "papers": papers_awaiting_seal(court),
                                                       "jobs": SealJob.objects.filter(court=court).order_by("-id")[:10]})


@login_required
@require_GET
def seal_job(request, job_id: int):
    job = SealJob.objects.filter(pk=job_id, court__in=_seal_courts(request.user)).first()
    if job is None:
        raise Http404("job")
    failed = job.items.filter(status="failed").select_related("paper")
    template = "papers/_seal_progress.html" if request.htmx else "papers/seal_job.html"
    return render(request, template, {"job": job, "failed": failed})


def _parse_problem(data: bytes) -> str:
    from yunting.core.efile.intake import pdf_read_problem

    return pdf_read_problem(data)


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: upload a PDF, see every signature's signer, time, integrity, trust and revocation."""
    from yunting.kernel.documents.signing.pki import pki_trust
    from yunting.kernel.documents.signing.validate import pdf_validate

    report, name = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size > MAX_VERIFY_BYTES:
            return render(request, "papers/verify.html", {"error": "请选择不超过 50 MB 的 PDF 文件"}, status=400)
        name = upload.name
        data = upload.read()
        if problem := _parse_problem(data):  # bounded in the sandbox before pyHanko parses it in this request
            return render(request, "papers/verify.html", {"error": problem}, status=400)
        report = pdf_validate(data, trust=pki_trust())
    return render(request, "papers/verify.html", {"report": report, "name": name})


@require_GET
def crl(request, label: str):
    from yunting.kernel.documents.models import Certificate, CertKind
    from yunting.kernel.documents.signing.pki import pki_crl

    ca = (Certificate.objects.filter(label=label, kind__in=[CertKind.ROOT, CertKind.ISSUING])
          .order_by("-id").first())
    if ca is None:
        raise Http404("crl")
    response = HttpResponse(pki_crl(ca), content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def ca_cert(request, label: str):
    from yunting.kernel.documents.models import Certificate, CertKind

    ca = (Certificate.objects.filter(label=label, kind__in=[CertKind.ROOT, CertKind.ISSUING])
          .order_by("-id").first())
    if ca is None:
        raise Http404("ca")
    return HttpResponse(ca.cert_pem, content_type="application/x-pem-file")

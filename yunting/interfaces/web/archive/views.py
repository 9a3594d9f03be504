"""归档 pages: the archivist's desk (what is due, with the three-month warning), one case's archive page (archive
it, its packages, its appeal transfers), remote reading for parties and lawyers (watermarked downloads), and the
list of who read a case. Each view: access, one service or selector, render."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yunting.core.cases.access import Capability, access_case_for, access_document_for
from yunting.core.cases.choices import SecurityLevel
from yunting.core.cases.errors import CaseNotFound, DocumentNotFound
from yunting.core.efile.selectors import efile_catalog_for
from yunting.core.people.choices import OrganisationKind, Role
from yunting.core.people.models import Membership, Organisation
from yunting.interfaces.web.selectors import read_log_describe
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import shanghai_today
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.archive import services
from yunting.workflows.archive.choices import Retention
from yunting.workflows.archive.selectors import (
    VOLUME_LABELS,
    archive_case_reads,
    archive_due_list,
    archive_due_on,
    archive_transfers_of,
    archive_volumes_of,
)

READS_PER_PAGE = 25
ARCHIVE_ROLES = (Role.ARCHIVIST, Role.COURT_ADMIN)


def _access(request, case_id, need=Capability.VIEW_SECONDARY):
    try:
        return access_case_for(request.user, case_id, need=need)
    except CaseNotFound:
        raise Http404("case") from None


def _log(request, action: str, *, case_id=None, object_type: str = "", object_id="") -> None:
    read_log(user=request.user, action=action, channel="web", case_id=case_id, object_type=object_type,
             object_id=object_id, ip=client_ip(request))


def _archivist_courts(user):
    return Membership.objects.filter(user=user, role__in=ARCHIVE_ROLES).values_list("organisation_id", flat=True)


def _is_archivist(user, case) -> bool:
    return case.court_id in set(_archivist_courts(user))


@login_required
@require_GET
def desk(request):
    """The archivist's desk: closed cases to archive, the most urgent first, with the three-month limit."""
    courts = list(_archivist_courts(request.user))
    if not courts:
        raise PermissionDenied
    rows = archive_due_list(court_ids=courts, today=shanghai_today())
    _log(request, "archive.desk", object_type="archive")
    return render(request, "archive/desk.html", {"nav": "archive", "rows": rows, "overdue": sum(r.state == "overdue" for r in rows),
                                                 "near": sum(r.state == "near" for r in rows)})


@login_required
@require_GET
def case_archive(request, case_id: int):
    access = _access(request, case_id)
    case = access.case
    _log(request, "archive.view", case_id=case.pk, object_type="case", object_id=case.pk)
    courts = Organisation.objects.filter(kind=OrganisationKind.COURT).exclude(pk=case.court_id).order_by("name")
    return render(request, "archive/case.html", {
        "case": case, "access": access, "volumes": archive_volumes_of(case), "transfers": archive_transfers_of(case),
        "due_on": archive_due_on(case), "can_archive": _is_archivist(request.user, case),
        "retentions": Retention.choices, "levels": SecurityLevel.choices, "courts": courts,
        "volume_labels": VOLUME_LABELS})


@login_required
@require_POST
def archive_act(request, case_id: int):
    access = _access(request, case_id)
    if not _is_archivist(request.user, access.case):
        raise PermissionDenied
    try:
        built = services.archive_case(case=access.case, actor=request.user,
                                      retention=request.POST.get("retention", ""),
                                      security_level=request.POST.get("security_level", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Archived: %(n)d volume package(s) written and verified against the ledger.")
                         % {"n": len(built)})
    return redirect("archive:case", case_id=case_id)


@login_required
@require_POST
def transfer_act(request, case_id: int):
    """一键移送 to another court of this deployment (another deployment: `yunting archive transfer --to URL`)."""
    access = _access(request, case_id, need=Capability.WRITE_JOURNAL)
    court = Organisation.objects.filter(kind=OrganisationKind.COURT, pk=_int(request.POST.get("court"))).first()
    if court is None or court.pk == access.case.court_id:
        messages.error(request, _("Choose the appellate court."))
        return redirect("archive:case", case_id=case_id)
    appellants = [n for n in request.POST.getlist("appellant") if n.strip()]
    try:
        transfer = services.archive_transfer_local(case=access.case, to_court=court, actor=request.user,
                                                   appellants=appellants or None)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sent and verified on receipt: appeal case %(number)s.")
                         % {"number": transfer.detail.get("answer", {}).get("case_number", "")})
    return redirect("archive:case", case_id=case_id)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_GET
def volume_zip(request, case_id: int, volume: str):
    """One archived volume's package as a ZIP (court staff; the 副卷 never leaves the court's staff)."""
    access = _access(request, case_id)
    record = next((v for v in archive_volumes_of(access.case) if v.volume == volume), None)
    root = Path(record.location) if record is not None and record.location else None
    if root is None or not root.is_dir():
        raise Http404("volume")
    _log(request, "archive.package_download", case_id=case_id, object_type="archive_volume", object_id=volume)
    out = tempfile.TemporaryFile(dir=settings.BLOB_TMP_DIR)
    services.archive_zip(Path(root), out)
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=f"{access.case.number}-{VOLUME_LABELS[volume]}.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def reading(request, case_id: int):
    """远程阅卷: the e-file as this reader may see it (never the 副卷 for parties and lawyers), each PDF
    downloadable with their watermark."""
    access = _access(request, case_id, need=Capability.VIEW_EFILE)
    include_secondary = access.can(Capability.VIEW_SECONDARY)
    catalog = efile_catalog_for(access.case, include_secondary=include_secondary)
    _log(request, "efile.view", case_id=case_id, object_type="case", object_id=case_id)
    return render(request, "archive/reading.html", {"case": access.case, "access": access, "catalog": catalog,
                                                    "watermark": services.reading_watermark_text(request.user)})


@login_required
@require_GET
def download(request, document_id: int):
    try:
        document, access = access_document_for(request.user, document_id)
    except DocumentNotFound:
        raise Http404("document") from None
    out = tempfile.TemporaryFile(dir=settings.BLOB_TMP_DIR)
    try:
        services.reading_download(user=request.user, document=document, out=out)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("archive:reading", case_id=document.case_id)
    _log(request, "document.download_watermarked", case_id=document.case_id, object_type="document",
         object_id=document.pk)
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=f"{document.title[:80]}.pdf",
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def reads(request, case_id: int):
    """Who read what of this case, and when (judges, assistants, clerks and archivists of the case)."""
    access = _access(request, case_id)
    _log(request, "readlog.view", case_id=case_id, object_type="readlog")
    page = Paginator(archive_case_reads(access.case), READS_PER_PAGE).get_page(request.GET.get("page"))
    read_log_describe(page.object_list)
    return render(request, "archive/reads.html", {"case": access.case, "page": page})

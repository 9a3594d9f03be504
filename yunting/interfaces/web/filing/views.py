"""Online filing in the browser: the party's or lawyer's step-by-step form with autosave, and the filing
officer's review queue and decisions. Views parse input, call one access function and one service, render."""

from __future__ import annotations

import re
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunting.core.cases.choices import PartyKind, PartyRole, Procedure
from yunting.core.cases.models import CaseType, Cause
from yunting.core.cases.selectors import case_types_civil_first, causes_search
from yunting.core.people.choices import OrganisationKind
from yunting.core.people.models import Organisation
from yunting.kernel.blobs.models import Blob
from yunting.kernel.blobs.store import blob_iter
from yunting.kernel.common.errors import ApplicationError, ValidationFailed
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.scan.inspect import max_document_pages, min_image_short_side_px, min_scan_dpi
from yunting.workflows.filing import acceptance, services
from yunting.workflows.filing.choices import EDITABLE, WITHDRAWABLE, FilingStatus
from yunting.workflows.filing.errors import FeeInputError, FilingNotFound
from yunting.workflows.filing.fees import parse_amount
from yunting.workflows.filing.models import FilingDocument
from yunting.workflows.filing.questionnaires import questionnaire_for
from yunting.workflows.filing.selectors import (
    access_filing_for,
    batch_for_review,
    batches_for_review,
    filings_of,
    possible_duplicates,
    review_queue,
    reviewer_court_ids,
    submitted_by_court,
    with_days_left,
)
from yunting.workflows.filing.suggestions import filing_suggestions
from yunting.workflows.filing.validation import FILING_PARTY_ROLES, fee_for

PARTY_ROWS = 4
# Labels people read on the pages, translated when shown (Chinese unless the person switched to English). The
# Chinese names in `DOCUMENT_KINDS` stay as they are: they are printed into the generated evidence list.
ROLE_LABELS = {role: PartyRole(role).label for role in FILING_PARTY_ROLES}
KIND_LABELS = dict(PartyKind.choices)
DOCUMENT_KIND_LABELS = {
    "complaint": gettext_lazy("Complaint"), "evidence": gettext_lazy("Evidence"),
    "evidence_list": gettext_lazy("Evidence list"), "identity": gettext_lazy("Proof of identity"),
    "power_of_attorney": gettext_lazy("Power of attorney"), "business_license": gettext_lazy("Business licence"),
    "filing_application": gettext_lazy("Filing application"), "other": gettext_lazy("Other materials"),
}


def render(request, name: str, context: dict, status: int = 200) -> HttpResponse:
    return django_render(request, name, context, status=status)


def _filing(request, filing_id, *, review: bool = False):
    try:
        return access_filing_for(request.user, filing_id, review=review)
    except FilingNotFound:
        raise Http404("filing") from None


def _own_editable(request, filing_id):
    filing = _filing(request, filing_id)
    if filing.filer_id != request.user.pk:
        raise Http404("filing")
    return filing


# --- the form --------------------------------------------------------------------------------------------------
PARTY_FIELDS = ("role", "kind", "name", "id_number", "credit_code", "phone", "address")
MAX_PARTY_ROWS = 30


def _row_count(post) -> int:
    try:
        return max(PARTY_ROWS, min(int(post.get("party-count") or PARTY_ROWS), MAX_PARTY_ROWS))
    except ValueError:
        return PARTY_ROWS


def form_to_payload(post) -> dict:
    """The form's fields as the filing payload (the same shape as the API's): nothing is dropped or judged here.

    A party row left blank is not a party, but the rows keep their places: `party_slots` says on which row of the
    form each party was typed, so after a save the rows come back where they were and a problem with
    `parties[1]` is shown next to the row the person typed it in. The identifier a party's kind does not have
    (a credit code for a natural person, an ID number for a company) is not sent on."""
    parties, slots = [], []
    for i in range(_row_count(post)):
        row = {k: post.get(f"party-{i}-{k}", "").strip() for k in PARTY_FIELDS}
        if row["kind"] == PartyKind.NATURAL or not row["kind"]:
            row["credit_code"] = ""
        else:
            row["id_number"] = ""
        if row["name"] or row["id_number"] or row["credit_code"] or row["phone"] or row["address"]:
            parties.append(row)
            slots.append(i)
    data = {k: post.get(k, "").strip() for k in ("court", "case_type", "cause", "procedure", "claim_amount",
                                                 "facts", "on_behalf_of") if k in post}
    if "claims" in post:
        data["claims"] = [line.strip() for line in post.get("claims", "").splitlines() if line.strip()]
    if any(k.startswith("party-") for k in post):
        data["parties"], data["party_slots"] = parties, slots
    answers = {k[2:]: post.get(k, "").strip() for k in post if k.startswith("q-") and post.get(k, "").strip()}
    if answers or any(k.startswith("q-") for k in post):
        data["questionnaire"] = answers
    return data


def _elements(payload: dict) -> list[dict]:
    """The questionnaire of the draft's cause, with the answers so far."""
    answers = payload.get("questionnaire") if isinstance(payload.get("questionnaire"), dict) else {}
    cause = str(payload.get("cause") or "")
    cause_row = Cause.objects.filter(code=cause).first()
    name = cause_row.name if cause_row else cause
    return [{"key": e.key, "label": e.label, "kind": e.kind, "required": e.required, "choices": e.choices,
             "answer": answers.get(e.key, "")} for e in questionnaire_for(name)]


def _slots(payload: dict, count: int) -> list[int]:
    slots = payload.get("party_slots")
    if isinstance(slots, list) and len(slots) == count and all(isinstance(x, int) and 0 <= x < MAX_PARTY_ROWS
                                                                 for x in slots) and len(set(slots)) == count:
        return slots
    return list(range(count))


def _party_rows(payload: dict, filer=None, *, own_details: bool = False) -> list[dict]:
    """The party rows of the form, each party on the row it was typed in; blank rows keep their default role
    (原告 first, 被告 second). A fresh draft starts with the filer as the plaintiff."""
    given = [p for p in payload.get("parties") or [] if isinstance(p, dict)]
    slots = _slots(payload, len(given))
    count = max(PARTY_ROWS, (max(slots) + 2) if slots else 0)
    defaults = ["plaintiff", "defendant"]
    rows = [{"role": defaults[i] if i < len(defaults) else "", "kind": "natural", "blank": True}
            for i in range(min(count, MAX_PARTY_ROWS))]
    for party, slot in zip(given, slots, strict=True):
        rows[slot] = {**party, "kind": party.get("kind") or "natural", "blank": False}
    if own_details and "parties" not in payload and filer is not None:
        rows[0] = {"role": "plaintiff", "kind": "natural", "name": filer.real_name, "id_number": filer.id_number,
                   "phone": filer.phone, "blank": False, "prefilled": True}
    return rows


FIELD_LABELS = {
    "court": gettext_lazy("Court"), "case_type": gettext_lazy("Case type"), "cause": gettext_lazy("Cause"),
    "procedure": gettext_lazy("Procedure"), "claim_amount": gettext_lazy("Amount in dispute (yuan)"),
    "claims": gettext_lazy("Claims"), "facts": gettext_lazy("Facts and reasons"), "parties": gettext_lazy("Parties"),
    "documents": gettext_lazy("Complaint and evidence"), "on_behalf_of": gettext_lazy("Client"),
    "questionnaire": gettext_lazy("Element table"),
}
PARTY_FIELD_LABELS = {
    "role": gettext_lazy("Role"), "kind": gettext_lazy("Kind"), "name": gettext_lazy("Name"),
    "id_number": gettext_lazy("ID number"), "credit_code": gettext_lazy("Unified social credit code"),
    "phone": gettext_lazy("Phone"), "address": gettext_lazy("Address"),
}
PROBLEM_RE = re.compile(r"^(?P<field>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>[a-z_0-9]+))?")


def _explain(problems: list[dict], payload: dict) -> tuple[list[dict], dict[str, list[str]]]:
    """Problems in words a person reads — “当事人 2（被告）· 身份证号” rather than `parties[1].id_number` — each with
    the id of the input to fix, and {input name: messages} for the messages shown next to the inputs."""
    given = [p for p in payload.get("parties") or [] if isinstance(p, dict)]
    slots = _slots(payload, len(given))
    questions = {e["key"]: e["label"] for e in _elements(payload)}
    rows, by_input = [], {}
    for pr in problems:
        match = PROBLEM_RE.match(pr.get("field") or "")
        field, index, sub = (match.group("field"), match.group("index"), match.group("sub")) if match else ("", None, None)
        label, name = str(FIELD_LABELS.get(field, field or _("The filing"))), field
        if field == "parties" and index is not None and int(index) < len(slots):
            slot = slots[int(index)]
            role = ROLE_LABELS.get(given[int(index)].get("role"), "")
            who = _("Party %(n)d") % {"n": slot + 1} + (f"（{role}）" if role else "")
            label = f"{who} · {PARTY_FIELD_LABELS.get(sub, sub or '')}" if sub else who
            name = f"party-{slot}-{sub}" if sub else f"party-{slot}-name"
        elif field == "questionnaire" and sub:
            label, name = str(questions.get(sub, label)), f"q-{sub}"
        elif field == "documents":
            name = "documents"
        rows.append({"label": label, "message": pr.get("message", ""), "input": name})
        by_input.setdefault(name, []).append(pr.get("message", ""))
    return rows, by_input


def _fee_preview(payload: dict) -> dict | None:
    """The fee as it stands, with steps; None while type, cause or amount are not yet usable."""
    case_type = CaseType.objects.filter(code=str(payload.get("case_type") or "")).first()
    cause = Cause.objects.filter(code=str(payload.get("cause") or "")).first() or \
        Cause.objects.filter(name=str(payload.get("cause") or "")).first()
    if case_type is None or cause is None:
        return None
    try:
        amount = parse_amount(payload.get("claim_amount"))
        return fee_for(case_type=case_type, cause=cause, amount=amount,
                       procedure=str(payload.get("procedure") or case_type.default_procedure))
    except FeeInputError as exc:
        return {"error": str(exc.message)}


def _cause_check(payload: dict) -> str:
    """While typing: why the cause typed cannot be filed under the chosen case type ("" when it can, or when one
    of the two is still empty)."""
    from yunting.workflows.filing.validation import _cause_fits

    ref = str(payload.get("cause") or "").strip()
    if not ref:
        return ""
    cause = Cause.objects.filter(selectable=True).filter(Q(name=ref) | Q(code=ref)).first()
    if cause is None:
        return _("There is no cause of action “%(ref)s” in the list: choose one of the suggestions.") % {"ref": ref}
    case_type = CaseType.objects.filter(code=str(payload.get("case_type") or "")).first()
    if case_type is not None and not _cause_fits(cause, case_type):
        return (_("The cause of action “%(cause)s” does not belong to %(case_type)s cases.")
                % {"cause": cause.name, "case_type": case_type.name})
    return ""


def _form_context(request, filing, problems=None) -> dict:
    payload = filing.payload or {}
    problem_rows, field_errors = _explain(problems or [], payload)
    is_lawyer = services.is_lawyer(request.user)
    case_type = CaseType.objects.filter(code=str(payload.get("case_type") or "")).first()
    cause_ref = str(payload.get("cause") or "")
    cause_row = Cause.objects.filter(selectable=True).filter(Q(code=cause_ref) | Q(name=cause_ref)).first()
    return {
        "filing": filing, "p": payload, "problems": problem_rows, "field_errors": field_errors,
        "problem_fields": set(field_errors),
        "courts": Organisation.objects.filter(kind=OrganisationKind.COURT).order_by("name"),
        "case_types": case_types_civil_first(), "cause_name": cause_row.name if cause_row else cause_ref,
        "cause_options": causes_search(case_type=case_type), "cause_check": _cause_check(payload),
        "procedures": [(v, label) for v, label in Procedure.choices
                       if v in ("ordinary", "simple", "small_claims", "special", "payment_order", "enforcement")],
        "party_rows": _party_rows(payload, request.user, own_details=not is_lawyer),
        "role_labels": [(r, ROLE_LABELS[r]) for r in FILING_PARTY_ROLES],
        "kind_labels": list(KIND_LABELS.items()), "claims_text": "\n".join(payload.get("claims") or []),
        "documents": filing.documents.select_related("blob"),
        **_upload_states(filing),
        "document_kinds": list(DOCUMENT_KIND_LABELS.items()),
        "document_kind_labels": DOCUMENT_KIND_LABELS,
        "fee": _fee_preview(payload), "elements": _elements(payload),
        "is_lawyer": is_lawyer,
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024), "max_pages": max_document_pages(),
        "min_dpi": min_scan_dpi(), "min_px": min_image_short_side_px(),
    }


@login_required
@require_GET
def cause_options(request):
    """HTMX: the causes matching what is typed, for the chosen case type (the form's datalist)."""
    case_type = CaseType.objects.filter(code=request.GET.get("case_type", "")).first()
    return render(request, "filing/_cause_options.html",
                  {"cause_options": causes_search(q=request.GET.get("cause", ""), case_type=case_type)})


@login_required
@require_GET
def my_filings(request):
    return render(request, "filing/mine.html", {
        "filings": filings_of(request.user)[:200], "is_reviewer": bool(reviewer_court_ids(request.user)),
    })


@login_required
@require_POST
def filing_new(request):
    """我要立案: the open empty draft if there is one, else a new draft."""
    filing = services.filing_open_draft(filer=request.user)
    return redirect("filing:edit", filing_id=filing.pk)


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "yes"


@login_required
@require_POST
def filing_delete_view(request, filing_id: int):
    """Delete a draft (asked to confirm first): it leaves the list; the record of it stays."""
    filing = _own_editable(request, filing_id)
    if not _confirmed(request):
        messages.error(request, _("Confirm that the draft should be deleted."))
        return redirect("filing:edit", filing_id=filing.pk)
    try:
        services.filing_delete_draft(filing=filing, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("filing:detail", filing_id=filing.pk)
    messages.success(request, _("Draft #%(id)s deleted.") % {"id": filing.pk})
    return redirect("filing:mine")


@login_required
@require_POST
def filing_withdraw_view(request, filing_id: int):
    """Withdraw a submitted filing before the court decides (asked to confirm first)."""
    filing = _filing(request, filing_id)
    if request.user.pk not in (filing.filer_id, filing.on_behalf_of_id):
        raise Http404("filing")
    if not _confirmed(request):
        messages.error(request, _("Confirm that the filing should be withdrawn."))
        return redirect("filing:detail", filing_id=filing.pk)
    try:
        services.filing_withdraw(filing=filing, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Filing #%(id)s withdrawn; the court will not review it.") % {"id": filing.pk})
    return redirect("filing:detail", filing_id=filing.pk)


@login_required
@require_http_methods(["GET", "POST"])
def filing_edit(request, filing_id: int):
    """我要立案: the whole form on one page, in numbered steps; every change is saved as a draft."""
    filing = _own_editable(request, filing_id)
    if filing.status not in EDITABLE:
        return redirect("filing:detail", filing_id=filing.pk)
    if request.method == "POST":
        try:
            services.filing_save_draft(filer=request.user, filing=filing, data=form_to_payload(request.POST))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Draft saved."))
        return redirect("filing:edit", filing_id=filing.pk)
    problems = request.session.pop(_problems_key(filing), None)
    return render(request, "filing/edit.html", _form_context(request, filing, problems))


def _problems_key(filing) -> str:
    return f"filing-problems-{filing.pk}"


@login_required
@require_POST
def filing_autosave(request, filing_id: int):
    """HTMX: save the draft as the person types; answers the 'saved at' line and the fee with its steps."""
    filing = _own_editable(request, filing_id)
    cause_before = (filing.payload or {}).get("cause")
    try:
        filing = services.filing_save_draft(filer=request.user, filing=filing, data=form_to_payload(request.POST))
    except ApplicationError as exc:
        return render(request, "filing/_autosave.html", {"error": exc.message}, status=409)
    return render(request, "filing/_autosave.html", {
        "saved_at": timezone.now().astimezone(SHANGHAI), "fee": _fee_preview(filing.payload),
        # a new cause brings its own questionnaire; otherwise the block is left alone (the person may be typing)
        "elements": _elements(filing.payload), "swap_questionnaire": filing.payload.get("cause") != cause_before,
        "cause_check": _cause_check(filing.payload)})


def _save_typed(request, filing) -> None:
    """Upload and Remove are buttons of the filing form, so the page they reload never loses what was typed
    since the last autosave: the form's fields come with the request and are saved first."""
    data = form_to_payload(request.POST)
    if data:
        services.filing_save_draft(filer=request.user, filing=filing, data=data)


@login_required
@require_POST
def document_upload(request, filing_id: int):
    """One document per upload: a file, or several photos of one paper document's pages, in the order chosen,
    which become one PDF. The upload is stored and answered at once; its content is checked in the background
    and the page shows "checking…" until it is attached or refused (every problem found, nothing attached)."""
    from yunting.core.efile.models import UploadStatus

    filing = _own_editable(request, filing_id)
    uploads = request.FILES.getlist("file")
    title = request.POST.get("title", "").strip()
    try:
        _save_typed(request, filing)
        if not uploads:
            raise ValidationFailed(_("Choose a file to upload."), code="filing_document_file")
        first, *more = uploads
        upload = services.filing_add_document(filing=filing, actor=request.user, stream=first, title=title,
                                              kind=request.POST.get("kind", ""), filename=first.name or "",
                                              more_photos=more)
    except ApplicationError as exc:
        messages.error(request, _upload_refusal(exc, uploads, title))
    else:
        upload.refresh_from_db()
        if upload.status == UploadStatus.REFUSED:  # already checked (a fast file): said here, once
            from yunting.core.efile.intake import upload_refusal

            refusal = upload_refusal(upload)
            refusal.message = str(refusal.message).removeprefix(f"{upload.title}：")
            messages.error(request, _upload_refusal(refusal, uploads, title))
            services.filing_dismiss_upload(filing=filing, upload_id=upload.pk, actor=request.user)
        elif upload.status == UploadStatus.ACCEPTED:
            messages.success(request, _("Uploaded: %(title)s") % {"title": title})
        else:
            messages.info(request, _("Received “%(title)s”; its content is being checked.") % {"title": title})
    return redirect(reverse("filing:edit", args=[filing.pk]) + "#step-evidence")


def _upload_refusal(exc: ApplicationError, uploads, title: str) -> str:
    """The refusal as the person reads it: which upload, and every problem found; when several files were
    chosen and one is not a photo (or refused by its type), that file by name."""
    message = str(exc.message)
    index = exc.data.get("file")
    if isinstance(index, int) and 0 < index <= len(uploads) and uploads[index - 1].name:
        message = _("%(message)s: %(name)s") % {"message": message, "name": uploads[index - 1].name}
    if title and uploads:
        message = _("“%(title)s” was not uploaded: %(message)s") % {"title": title, "message": message}
    return message


def _upload_states(filing) -> dict:
    from yunting.core.efile.models import Upload, UploadStatus

    rows = list(Upload.objects.filter(subject=f"filing:{filing.pk}", user=filing.filer,
                                      status__in=(UploadStatus.CHECKING, UploadStatus.REFUSED)).order_by("created_at"))
    return {"checking": [u for u in rows if u.status == UploadStatus.CHECKING],
            "refused": [u for u in rows if u.status == UploadStatus.REFUSED]}


@login_required
@require_GET
def upload_states(request, filing_id: int):
    """HTMX: the uploads still being checked, polled while there are any; once none is left the page reloads to
    show the attached documents and any refusal."""
    filing = _own_editable(request, filing_id)
    states = _upload_states(filing)
    response = render(request, "filing/_uploads.html", {"filing": filing, **states})
    if request.htmx and not states["checking"]:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def upload_dismiss(request, filing_id: int, upload_id: str):
    filing = _own_editable(request, filing_id)
    try:
        _save_typed(request, filing)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    services.filing_dismiss_upload(filing=filing, upload_id=upload_id, actor=request.user)
    return redirect(reverse("filing:edit", args=[filing.pk]) + "#step-evidence")


@login_required
@require_POST
def document_remove(request, filing_id: int, document_id: int):
    filing = _own_editable(request, filing_id)
    try:
        _save_typed(request, filing)
        services.filing_remove_document(filing=filing, document_id=document_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("filing:edit", args=[filing.pk]) + "#step-evidence")


def _document(request, filing_id: int, document_id: int) -> FilingDocument:
    """A document of a filing the person may see (its filer, or the court's filing staff once submitted)."""
    filing = _filing(request, filing_id)
    doc = FilingDocument.objects.select_related("blob", "source_blob", "filing").filter(
        filing=filing, pk=document_id).first()
    if doc is None:
        raise Http404("document")
    return doc


@login_required
@require_GET
def document_view(request, filing_id: int, document_id: int):
    """HTMX: the document in the page, PDFs in the e-file's pdf.js viewer, images, audio and video inline."""
    doc = _document(request, filing_id, document_id)
    return render(request, "filing/_viewer.html", {"filing": doc.filing, "doc": doc,
                                                   "document_kinds": DOCUMENT_KIND_LABELS})


def _blob_response(blob, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(blob_iter(blob.sha256), content_type=blob.mime_type)
    response["Content-Length"] = str(blob.size)
    response["Content-Disposition"] = content_disposition_header(False, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _read(request, doc: FilingDocument, action: str) -> None:
    """Every read of a filing's document bytes goes into the read log (阅卷日志), with the case once there is one."""
    from yunting.kernel.security.audit import client_ip, read_log

    read_log(user=request.user, action=action, channel="web", case_id=doc.filing.case_id,
             object_type="filing_document", object_id=f"{doc.filing_id}/{doc.pk}", ip=client_ip(request))


@login_required
@require_GET
def document_content(request, filing_id: int, document_id: int):
    doc = _document(request, filing_id, document_id)
    _read(request, doc, "filing.document.read")
    name = doc.filename or doc.title
    if doc.source_blob_id and doc.blob.mime_type == "application/pdf":
        name = f"{PurePath(name).stem or doc.title}.pdf"  # made from a photo: the photo's name, as a PDF
    return _blob_response(doc.blob, name)


@login_required
@require_GET
def document_source(request, filing_id: int, document_id: int):
    """The original photo a straightened PDF was made from (the first, when several photos made it), for
    whoever may see the document."""
    doc = _document(request, filing_id, document_id)
    if doc.source_blob is None:
        raise Http404("original")
    _read(request, doc, "filing.document.original")
    return _blob_response(doc.source_blob, doc.filename or doc.title)


@login_required
@require_http_methods(["GET", "POST"])
def filing_submit_view(request, filing_id: int):
    """Save what is on the form, then submit (or resubmit after a supplement request). Problems come back all at
    once on the form's own address (post/redirect/get: a reload shows the form, never a bare 405), each next to
    its input; nothing is lost."""
    filing = _own_editable(request, filing_id)
    if request.method == "GET":
        return redirect("filing:edit", filing_id=filing.pk)
    data = form_to_payload(request.POST)
    try:
        if filing.status == FilingStatus.SUPPLEMENT_REQUESTED:
            filing = services.filing_resubmit(filing=filing, actor=request.user, data=data)
        else:
            filing = services.filing_save_draft(filer=request.user, filing=filing, data=data)
            filing = services.filing_submit(filing=filing, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        request.session[_problems_key(filing)] = exc.data.get("problems") or []
        return redirect(reverse("filing:edit", args=[filing.pk]) + "#problems")
    messages.success(request, _("Submitted. The court will decide within the legal period, by %(date)s.")
                     % {"date": filing.deadline.isoformat()})
    return redirect("filing:detail", filing_id=filing.pk)


# --- status and review -----------------------------------------------------------------------------------------
@login_required
@require_GET
def filing_detail(request, filing_id: int):
    filing = _filing(request, filing_id)
    reviewer = filing.status != FilingStatus.DRAFT and services.is_reviewer(request.user, filing.court_id)
    [filing] = with_days_left([filing])
    ruling = _ruling(filing)
    return render(request, "filing/detail.html", {
        "ruling": ruling, "delivery_note": services.RULING_DELIVERY_NOTE,
        "served": filing.events.filter(kind="filing.ruling_delivered").order_by("id").first(),
        "can_withdraw": filing.status in WITHDRAWABLE and request.user.pk in (filing.filer_id, filing.on_behalf_of_id),
        "filing": filing, "reviewer": reviewer, "is_filer": filing.filer_id == request.user.pk,
        "parties": filing.parties.all(), "documents": filing.documents.select_related("blob"),
        "events": filing.events.select_related("actor"), "duplicates": possible_duplicates(filing) if reviewer else [],
        "suggestions": filing_suggestions(filing) if reviewer and filing.status == FilingStatus.SUBMITTED else [],
        "role_labels": ROLE_LABELS, "kind_labels": KIND_LABELS, "document_kinds": DOCUMENT_KIND_LABELS,
        "nav": "filing_review" if reviewer and filing.filer_id != request.user.pk else "filing",
    })


def _ruling(filing):
    """The 不予受理裁定 of a rejected filing (None before it exists)."""
    if filing.status != FilingStatus.REJECTED or filing.case_id is None:
        return None
    from yunting.core.papers.models import Paper

    return Paper.objects.filter(case_id=filing.case_id, template_code=services.RULING_TEMPLATE).first()


@login_required
@require_GET
def ruling_pdf(request, filing_id: int):
    """The sealed 不予受理裁定, served on the filing's page to whoever may see the filing (its filer, the court's
    filing staff). Unsealed, it is not out yet: 404."""
    from yunting.core.papers.models import PaperStatus

    filing = _filing(request, filing_id)
    ruling = _ruling(filing)
    if ruling is None or ruling.status != PaperStatus.SEALED:
        raise Http404("ruling")
    blob = Blob.objects.get(pk=ruling.pdf_sha256)
    response = _blob_response(blob, f"{ruling.title}（不予受理）{filing.case.number}.pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{ruling.title}（不予受理）.pdf")
    return response


REVIEW_PER_PAGE = 50
REVIEW_SORT_LABELS = [("deadline", gettext_lazy("Deadline")), ("-submitted", gettext_lazy("Newest submitted")),
                      ("submitted", gettext_lazy("Oldest submitted")), ("-amount", gettext_lazy("Largest amount")),
                      ("amount", gettext_lazy("Smallest amount"))]


@login_required
@require_GET
def review_queue_page(request):
    if not reviewer_court_ids(request.user):
        raise Http404("review")
    status = request.GET.get("status") or FilingStatus.SUBMITTED
    hidden = (FilingStatus.DRAFT, FilingStatus.DELETED)
    if status not in FilingStatus.values or status in hidden:
        status = FilingStatus.SUBMITTED
    q = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "deadline")
    if sort not in dict(REVIEW_SORT_LABELS):
        sort = "deadline"
    page = Paginator(review_queue(request.user, status=status, q=q, sort=sort), REVIEW_PER_PAGE).get_page(
        request.GET.get("page"))
    page.object_list = with_days_left(page.object_list)
    return render(request, "filing/review.html", {
        "filings": page.object_list, "page": page, "status": status, "q": q, "sort": sort,
        "sorts": REVIEW_SORT_LABELS, "statuses": [s for s in FilingStatus if s not in hidden],
        "batches": batches_for_review(request.user) if status == FilingStatus.SUBMITTED and not q else [],
        "selectable": status == FilingStatus.SUBMITTED})


def _review_batch(request, batch_id: int):
    try:
        return batch_for_review(request.user, batch_id)
    except FilingNotFound:
        raise Http404("batch") from None


@login_required
@require_POST
def batch_accept_view(request, batch_id: int):
    """一键立案 of a whole batch: started here, run by a background task; the page shows its progress."""
    batch = _review_batch(request, batch_id)
    try:
        acceptance.filing_batch_accept_request(actor=request.user, batch=batch)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("One-click acceptance of batch #%(id)s has started; its progress shows below.")
                         % {"id": batch.pk})
    return redirect("filing:review")


@login_required
@require_GET
def batch_progress(request, batch_id: int):
    batch = _review_batch(request, batch_id)
    response = render(request, "filing/_batch.html", {"batch": batch})
    if request.htmx and batch.accept_finished_at is not None:
        response["HX-Refresh"] = "true"  # the poll that sees it finish reloads the page: the queue changed
    return response


MAX_SELECTED = 500


@login_required
@require_POST
def accept_selected_view(request):
    """Accept the filings ticked in the queue at once (each court's through its own bulk acceptance)."""
    if not reviewer_court_ids(request.user):
        raise Http404("review")
    ids = [int(x) for x in request.POST.getlist("filing") if x.isdigit()][:MAX_SELECTED]
    by_court = submitted_by_court(request.user, ids)
    if not by_court:
        messages.error(request, _("Tick the filings to accept first."))
        return redirect("filing:review")
    accepted, failed = 0, []
    try:
        for court, filing_ids in by_court.items():
            result = acceptance.filing_accept_batch(actor=request.user, court=court, filing_ids=filing_ids)
            accepted, failed = accepted + result["accepted"], failed + result["failed"]
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("filing:review")
    messages.success(request, ngettext("%(n)d filing accepted; the cases are registered.",
                                       "%(n)d filings accepted; the cases are registered.", accepted) % {"n": accepted})
    for f in failed:
        messages.error(request, _("Filing #%(id)s was not accepted: %(reason)s") % {"id": f["filing_id"],
                                                                                    "reason": f["message"]})
    return redirect("filing:review")


def _decide(request, filing_id: int, act, success: str):
    filing = _filing(request, filing_id, review=True)
    try:
        act(filing)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("filing:detail", filing_id=filing.pk)


@login_required
@require_POST
def filing_accept_view(request, filing_id: int):
    """准予立案, after a confirmation; with a possible duplicate the confirmation must say so, and a request that
    did not come through it is refused."""
    filing = _filing(request, filing_id, review=True)
    if possible_duplicates(filing).exists() and request.POST.get("confirm_duplicates") != "yes":
        messages.error(request, _("This filing may duplicate another one: look at the warning and confirm the "
                                  "acceptance in the dialog."))
        return redirect("filing:detail", filing_id=filing.pk)
    return _decide(request, filing_id, lambda f: acceptance.filing_accept(filing=f, actor=request.user),
                   _("Accepted: the case is registered and the acceptance notice is being issued."))


@login_required
@require_POST
def filing_reject_view(request, filing_id: int):
    return _decide(request, filing_id,
                   lambda f: services.filing_reject(filing=f, actor=request.user, reason=request.POST.get("reason", "")),
                   _("Rejected: the ruling of refusal (不予受理裁定) is issued; once sealed it is served on the filer."))


@login_required
@require_POST
def filing_supplement_view(request, filing_id: int):
    def act(f):
        try:
            days = int(request.POST.get("days") or 15)
        except ValueError:
            days = 0
        services.filing_request_supplement(filing=f, actor=request.user, request=request.POST.get("request", ""),
                                           days=days)

    return _decide(request, filing_id, act, _("Supplement requested; the review period restarts on resubmission."))

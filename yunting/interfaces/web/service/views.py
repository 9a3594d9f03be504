"""送达 pages: thin views over yunting.core.service (services for writes, selectors for reads).

Who reaches what (a page that is not yours does not exist: 404, never 403):
- the court staff of a case: the 送达 panel on the case page, the request form, the status per recipient;
- service officers (送达专员) of the court: the workbench, task pages, attempts — never the merits of the case
  (no claims, no evidence, no e-file): only what serving needs;
- a party: the documents served on them (their case page), each opening recorded as a read receipt;
- anyone holding an SMS link and its one-time code: /s/<token> (rate limited per address).
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.efile.intake import file_through_intake, strokes_through_intake
from yunting.core.service import selectors as ssel
from yunting.core.service import services as ssvc
from yunting.core.service.choices import Channel, ConfirmedBy, ConsentForm, Outcome, TaskStatus
from yunting.kernel.blobs.store import blob_iter
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.common.timeutil import SHANGHAI
from yunting.kernel.security.audit import client_ip, read_log

from . import access as acc
from .templatetags.service_web import channel_label

PAGE = 25
PER_PAGE_CHOICES = ("25", "100", "200")  # 200 on one page: one click sends SMS to all of them
QUEUE_LIMIT = 5000  # the selector answers a list; a centre works far fewer open tasks at once
BULK_CHUNK = 20
SMS_TRIES_PER_WINDOW = 20  # failed openings per address in the window, on top of each link's own lock
SMS_WINDOW_S = 15 * 60

def _log(request, action: str, *, case_id=None, object_type: str = "", object_id="") -> None:
    read_log(user=request.user, action=action, channel="web", case_id=case_id, object_type=object_type,
             object_id=object_id, ip=client_ip(request))


def _fail(request, exc: ApplicationError) -> None:
    messages.error(request, str(exc.message))


def _when(value: str | None) -> datetime | None:
    """A datetime-local or date field (Asia/Shanghai) as an aware datetime; None when empty or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) == 10:
        parsed = datetime.combine(date.fromisoformat(value), time(12, 0))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def _png_from_data_url(value: str) -> bytes | None:
    prefix = "data:image/png;base64,"
    if not value.startswith(prefix):
        return None
    try:
        return base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        return None


# --- the case page: request service, status per recipient ---------------------------------------------------------
@login_required
@require_POST
def case_request(request, case_id: int):
    """送达: the chosen documents to the chosen recipients in one click; one task per recipient."""
    try:
        access = access_case_for(request.user, case_id, need=Capability.WRITE_JOURNAL)
    except CaseNotFound:
        raise Http404("case") from None
    case = access.case
    back = reverse("web:case", args=[case.pk]) + "#service"
    documents = [int(v) for v in request.POST.getlist("document") if v.isdigit()]
    recipients = [int(v) for v in request.POST.getlist("recipient") if v.isdigit()]
    try:
        tasks = ssvc.service_request(case=case, documents=documents, recipients=recipients, actor=request.user)
    except ApplicationError as exc:
        _fail(request, exc)
        return redirect(back)
    messages.success(request, _("Sent to the service centre: %(n)s service tasks created.") % {"n": len(tasks)})
    return redirect(back)


# --- the service officer's workbench ------------------------------------------------------------------------------
def _filters(request) -> dict:
    get = request.GET
    return {"q": get.get("q", "").strip()[:50],
            "status": get.get("status", "") if get.get("status", "") in [*TaskStatus.values, "all"] else "",
            "channel": get.get("channel", "") if get.get("channel", "") in Channel.values else "",
            "overdue": get.get("overdue") == "1"}


@login_required
@require_GET
def workbench(request):
    """送达工作台: open tasks by deadline, searchable and filterable, with a bulk SMS action."""
    acc.officer_courts_or_404(request.user)
    filters = _filters(request)
    queue = ssel.tasks_queue(request.user, ssel.QueueFilters(**filters), limit=QUEUE_LIMIT)
    per = int(request.GET["per"]) if request.GET.get("per") in PER_PAGE_CHOICES else PAGE
    page = Paginator(queue, per).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    return render(request, "service_web/workbench.html", {
        "page": page, "rows": rows, "filters": filters, "statuses": TaskStatus.values, "channels": Channel.values,
        "filtered": any(filters.values()), "nav": "service", "chunk": BULK_CHUNK, "per": per,
        "per_choices": PER_PAGE_CHOICES,
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def bulk_dispatch(request):
    """Send SMS to the chosen tasks. The page's script posts them in chunks and draws the progress; without
    script one post takes them all. Tasks that cannot take an SMS (no consent, closed) are listed, the rest go."""
    acc.officer_courts_or_404(request.user)
    ids = [int(v) for v in request.POST.getlist("task") if v.isdigit()][:500]
    tasks = list(acc.officer_tasks(request.user).select_related("recipient", "case", "case__court").filter(pk__in=ids))
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if not tasks:
        if wants_json:
            return JsonResponse({"sent": 0, "failed": [], "message": _("Choose at least one task.")}, status=400)
        messages.error(request, _("Choose at least one task."))
        return redirect("service_web:workbench")
    done = ssvc.service_bulk_dispatch(tasks=tasks, channel=Channel.SMS, actor=request.user)
    sent, failed = acc.bulk_outcome(done, tasks)
    if wants_json:
        return JsonResponse({"sent": sent, "failed": failed}, json_dumps_params={"ensure_ascii": False})
    messages.success(request, _("SMS sent for %(n)s tasks.") % {"n": sent})
    for f in failed[:20]:
        messages.error(request, f"{f['recipient']}：{f['message']}")
    return redirect("service_web:workbench")


def _task_context(request, task, *, unmasked: bool = False) -> dict:
    detail = ssel.task_detail(task, request.user, unmasked=unmasked, ip=client_ip(request))
    attempts = [{**a, "at": datetime.fromisoformat(a["at"])} for a in detail["attempts"]]
    return {"task": task, "detail": detail, "attempts": attempts, "nav": "service", "unmasked": unmasked,
            "phone_script": [(k, ssvc.PHONE_PHRASE_OUTCOME[k], text) for k, text in ssvc.PHONE_PHRASES.items()],
            "now": timezone.localtime(),
            # the case's judge and clerk reach a task too, but not the service centre's workbench
            "officer": bool(acc.officer_court_ids(request.user)),
            "dispatchable": [c for c in Channel.values if c in acc.DISPATCHED],
            "consent_forms": ConsentForm.values, "confirmed_by": ConfirmedBy.values}


@login_required
@require_GET
def task_page(request, task_id: int):
    """One task: plan with reasons, masked contact data, the attempt log, the forms to record an attempt."""
    task = acc.officer_task_or_404(request.user, task_id)
    return render(request, "service_web/task.html", _task_context(request, task))


@login_required
@require_POST
def task_contact(request, task_id: int):
    """查看完整信息: the unmasked contact data, shown in this answer only and written to the read log."""
    task = acc.officer_task_or_404(request.user, task_id)  # task_detail writes the unmasked view to the read log
    response = render(request, "service_web/task.html", _task_context(request, task, unmasked=True))
    response["Cache-Control"] = "private, no-store"
    return response


def _attempt_kwargs(request, task, channel: str) -> dict:
    post = request.POST
    note = post.get("note", "").strip()
    out: dict = {"channel": channel, "outcome": post.get("outcome", ""), "note": note}
    if channel == Channel.PHONE:
        phrase = post.get("phrase", "")
        if phrase not in ssvc.PHONE_PHRASES:
            raise acc.form_error(_("Choose what happened on the call."), "phrase")
        out |= {"phrase": phrase, "outcome": ssvc.PHONE_PHRASE_OUTCOME[phrase],
                "note": ssvc.PHONE_PHRASES[phrase] + (f"；{note}" if note else "")}
        recording = request.FILES.get("recording")
        if recording is not None:
            out["recording"] = file_through_intake(stream=recording, user=request.user, purpose="service_attempt",
                                                   subject=f"service_task:{task.pk}")
    elif channel == Channel.POST:
        ems = post.get("ems", "").strip().upper()
        if not ems:
            raise acc.form_error(_("Enter the EMS tracking number."), "ems")
        out["tracking_number"] = ems
        out["address_used"] = post.get("address", "").strip()
        if post.get("returned") == "1":
            reason = post.get("reason", "").strip()
            out["outcome"] = Outcome.FAILED
            out["note"] = pgettext("service web", "Returned mail") + (f"：{reason}" if reason else "") + (
                f"；{note}" if note else "")
        else:
            out["outcome"] = Outcome.DELIVERED
    elif channel == Channel.DIRECT:
        out["address_used"] = post.get("address", "").strip()
        if out["outcome"] != Outcome.REFUSED:
            png = _png_from_data_url(post.get("signature", ""))
            if png is None:
                raise acc.form_error(_("Ask the recipient to sign on the tablet first."), "signature")
            out["outcome"] = Outcome.DELIVERED
            out["signature_png"] = strokes_through_intake(
                png=png, user=request.user, purpose="service_attempt", subject=f"service_task:{task.pk}",
                invalid=lambda message="": acc.form_error(
                    message or _("Ask the recipient to sign on the tablet first."), "signature")).png
    elif channel == Channel.ANNOUNCEMENT:
        where = post.get("where", "").strip()
        out |= {"outcome": Outcome.PUBLISHED, "note": where + (f"；{note}" if note else "")}
    return out


@login_required
@require_POST
def attempt_new(request, task_id: int):
    """Record one attempt (phone, post, direct, announcement, or an outcome of an electronic channel)."""
    task = acc.officer_task_or_404(request.user, task_id)
    back = reverse("service_web:task", args=[task.pk])
    channel = request.POST.get("channel", "")
    if channel not in Channel.values:
        messages.error(request, _("Choose a channel."))
        return redirect(back)
    try:
        kwargs = _attempt_kwargs(request, task, channel)
        at = _when(request.POST.get("at")) or timezone.now()
        ssvc.service_attempt_record(task=task, at=at, officer=request.user, **kwargs)
    except ApplicationError as exc:
        _fail(request, exc)
        return redirect(back)
    messages.success(request, _("Attempt recorded."))
    return redirect(back)


@login_required
@require_POST
def task_dispatch(request, task_id: int):
    """Send now by platform account, SMS (secure link and code) or e-mail."""
    task = acc.officer_task_or_404(request.user, task_id)
    channel = request.POST.get("channel", "")
    try:
        if channel not in acc.DISPATCHED:
            raise acc.form_error(_("Choose a channel."), "channel")
        ssvc.service_dispatch(task=task, channel=channel, actor=request.user)
        messages.success(request, _("Sent by %(channel)s.") % {"channel": channel_label(channel)})
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("service_web:task", task.pk)


@login_required
@require_POST
def task_escalate(request, task_id: int):
    """Move on to the next channel of the plan."""
    task = acc.officer_task_or_404(request.user, task_id)
    try:
        ssvc.service_escalate(task=task, actor=request.user, reason=request.POST.get("reason", "").strip())
        messages.success(request, _("Moved on to the next channel."))
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("service_web:task", task.pk)


@login_required
@require_POST
def task_consent(request, task_id: int):
    """The officer records the recipient's consent to electronic service as confirmed (OLR arts 29–30), e.g. on
    the phone; the plan of the open task is made again with the consented channels."""
    task = acc.officer_task_or_404(request.user, task_id)
    try:
        ssvc.consent_record(case=task.case, party=task.recipient, form=request.POST.get("form", ""),
                            channels=request.POST.getlist("channels"), actor=request.user,
                            confirmed_by=request.POST.get("confirmed_by", ""))
        messages.success(request, _("Consent to electronic service recorded."))
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("service_web:task", task.pk)


@login_required
@require_POST
def party_consent(request, case_id: int):
    """A party (or their lawyer) agrees on the platform to be served electronically in this case."""
    party = acc.own_party_or_404(request.user, case_id)
    back = reverse("web:case", args=[party.case_id]) + "#service"
    try:
        ssvc.consent_record(case=party.case, party=party, form="explicit", channels=request.POST.getlist("channels"),
                            actor=request.user, confirmed_by="platform")
        messages.success(request, _("Consent to electronic service recorded."))
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect(back)


# --- statistics -------------------------------------------------------------------------------------------------------
@login_required
@require_GET
def statistics(request):
    """送达统计: success rate by channel and division, median time to serve, share served electronically."""
    from yunting.core.courts.models import Division

    court = acc.stats_court_or_404(request.user)
    start, end = _when(request.GET.get("from")), _when(request.GET.get("to"))
    divisions = list(Division.objects.filter(court=court).order_by("name"))
    division = next((d for d in divisions if str(d.pk) == request.GET.get("division", "")), None)
    stats = ssel.service_statistics(court_ids=[court.pk], division_id=division.pk if division else None,
                                    start=start.date() if start else None, end=end.date() if end else None)
    return render(request, "service_web/stats.html", {
        "court": court, "stats": stats, "nav": "service_stats", "divisions": divisions,
        "filters": {"from": request.GET.get("from", ""), "to": request.GET.get("to", ""),
                    "division": division.pk if division else ""}})


# --- a party: the documents served on me ---------------------------------------------------------------------------
@login_required
@require_GET
def served_document(request, task_id: int, document_id: int):
    """A served document opened by its recipient on the platform: the read receipt is recorded, then the bytes."""
    task, document = acc.recipient_document_or_404(request.user, task_id, document_id)
    ssvc.service_portal_open(task=task, user=request.user)
    _log(request, "service.document_read", case_id=task.case_id, object_type="document", object_id=document.pk)
    return _stream(document)


def _stream(document, *, attachment: bool = False):
    blob = document.blob
    response = StreamingHttpResponse(blob_iter(document.blob_id), content_type=blob.mime_type)
    response["Content-Length"] = str(blob.size)
    name = document.filename or document.title
    if blob.mime_type == "application/pdf" and not name.lower().endswith(".pdf"):
        name += ".pdf"
    response["Content-Disposition"] = content_disposition_header(attachment, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the SMS secure link -------------------------------------------------------------------------------------------
def _sms_session_key(token: str) -> str:
    return f"service_sms:{token[:64]}"


def _sms_key(request) -> str:
    """Failures count per address across all links: one link locks itself after 5 wrong codes, this stops an
    address from trying many links (or guessing tokens)."""
    return f"service_sms_fail:{client_ip(request)}"


def _sms_limited(request) -> bool:
    return cache.get(_sms_key(request), 0) >= SMS_TRIES_PER_WINDOW


def _sms_count_failure(request) -> None:
    key = _sms_key(request)
    if not cache.add(key, 1, SMS_WINDOW_S):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, SMS_WINDOW_S)


def _sms_error(exc: ApplicationError) -> str:
    """The recipient's words for why the link did not open (a person on a phone, not an officer)."""
    if exc.code == "service_code":
        left = exc.data.get("left")
        if left:
            return pgettext("service web", "The access code is wrong. You can try %(n)s more times.") % {"n": left}
        return pgettext("service web", "The access code is wrong. This link is now locked; ask the court to send "
                                        "a new message.")
    if exc.code == "service_link_not_found":
        return pgettext("service web", "This link is not valid or has expired. Ask the court to send a new "
                                        "message.")
    if exc.code == "service_link_locked":
        return pgettext("service web", "Too many wrong codes: this link is locked. Ask the court to send a new "
                                        "message.")
    if exc.code == "service_link_used":
        return pgettext("service web", "This access code has already been used. Open the documents on the device "
                                        "where you entered it, or ask the court for a new message.")
    return str(exc.message)


SMS_STATE_ERRORS = {"expired": "service_link_not_found", "locked": "service_link_locked", "used": "service_link_used"}


def _sms_error_for(code: str) -> str:
    return _sms_error(ApplicationError("", code=code))


@require_http_methods(["GET", "POST"])
def sms_link(request, token: str):
    """/s/<token>: asks the one-time access code; after it, the documents (each opening is a read receipt)."""
    opened = request.session.get(_sms_session_key(token))
    if request.method == "POST":
        if _sms_limited(request):
            return render(request, "service_web/sms_code.html", {
                "token": token, "error": _("Too many wrong codes from this device. Try again in 15 minutes.")},
                status=429)
        try:
            task, documents = ssvc.sms_link_open(token=token, code=request.POST.get("code", "").strip(),
                                                 ip=client_ip(request))
        except ApplicationError as exc:
            _sms_count_failure(request)
            return render(request, "service_web/sms_code.html", {
                "token": token, "error": _sms_error(exc), "info": ssel.sms_link_info(token),
                "closed": exc.code in SMS_STATE_ERRORS.values() or (exc.code == "service_code"
                                                                    and not exc.data.get("left"))},
                status=exc.http_status)
        request.session[_sms_session_key(token)] = {"task": task.pk, "documents": [d.pk for d in documents]}
        return redirect("service_sms:link", token=token)
    if opened:
        view = acc.sms_view(opened)
        if view is not None:
            return render(request, "service_web/sms_documents.html", {"token": token, **view})
    info = ssel.sms_link_info(token)  # the court's name and the link's state, nothing about the case
    error = SMS_STATE_ERRORS.get(info["state"] if info else "expired")
    return render(request, "service_web/sms_code.html", {"token": token, "info": info, "closed": bool(error),
                                                         "error": _sms_error_for(error) if error else ""},
                  status=404 if info is None else 200)


@require_GET
def sms_document(request, token: str, document_id: int):
    """A document behind an SMS link: only in the session that entered the code, only that task's documents."""
    opened = request.session.get(_sms_session_key(token)) or {}
    if document_id not in opened.get("documents", []):
        raise Http404("document")
    document = acc.document_of_task(opened["task"], document_id)
    if document is None:
        raise Http404("document")
    return _stream(document, attachment=True)  # a phone keeps the file: 下载 saves it

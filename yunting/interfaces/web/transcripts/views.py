"""庭审笔录 pages: the clerk's editor beside the room (desktop), the participant's live view and review/sign page
(phone first), the corrections list (on both). Each act: access, one service, a message, back."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yunting.kernel.blobs.store import blob_read
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.security.audit import client_ip
from yunting.workflows.transcripts import services
from yunting.workflows.transcripts.errors import TranscriptNotFound, invalid
from yunting.workflows.transcripts.selectors import (
    access_transcript_for,
    transcript_json,
    transcript_read_logged,
)


def _access(request, hearing_id, *, court: bool = False):
    try:
        return access_transcript_for(request.user, hearing_id, court=court)
    except TranscriptNotFound:
        raise Http404("transcript") from None


def _back(hearing_id, anchor: str = ""):
    return redirect(reverse("transcripts:page", args=[hearing_id]) + anchor)


def _act(request, hearing_id, fn, done: str, *, court: bool = False, anchor: str = ""):
    ta = _access(request, hearing_id, court=court)
    try:
        fn(ta)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(hearing_id, anchor)


@login_required
def page(request, hearing_id: int):
    """Court staff get the editor; a participant the live view (while admitted) or the review and signing."""
    ta = _access(request, hearing_id)
    transcript_read_logged(ta, request.user, channel="web", ip=client_ip(request))
    data = transcript_json(ta)
    context = {"ta": ta, "t": ta.transcript, "data": data, "hearing": ta.hearing, "nav": "hearings",
               "phone_hint": (request.user.phone or "")[-4:]}
    template = "transcripts/editor.html" if ta.court else "transcripts/participant.html"
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def pdf(request, hearing_id: int):
    ta = _access(request, hearing_id)
    if ta.transcript is None or not ta.transcript.pdf_sha256:
        raise Http404("pdf")
    transcript_read_logged(ta, request.user, channel="web", action="transcript.pdf", ip=client_ip(request))
    response = HttpResponse(blob_read(ta.transcript.pdf_sha256), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="transcript-{hearing_id}-v{ta.transcript.version}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def open_(request, hearing_id: int):
    return _act(request, hearing_id, lambda ta: services.transcript_open(
        ta=ta, actor=request.user, from_report=request.POST.get("from_report") == "1"),
        _("The transcript is open. Participants admitted to the room see it as you type."), court=True)


@login_required
@require_POST
def review(request, hearing_id: int):
    return _act(request, hearing_id, lambda ta: services.transcript_review_start(ta=ta, actor=request.user),
                _("The transcript was sent to every participant to read and sign."), court=True)


@login_required
@require_POST
def correction(request, hearing_id: int):
    return _act(request, hearing_id, lambda ta: services.correction_request(
        ta=ta, actor=request.user, passage=request.POST.get("passage", ""),
        proposed=request.POST.get("proposed", ""), note=request.POST.get("note", "")),
        _("Your correction request was recorded. The clerk will accept it or give a reason."), anchor="#corrections")


@login_required
@require_POST
def decide(request, hearing_id: int, correction_id: int):
    accept = request.POST.get("decision") == "accept"
    return _act(request, hearing_id, lambda ta: services.correction_decide(
        ta=ta, actor=request.user, correction_id=correction_id, accept=accept,
        reason=request.POST.get("reason", "")),
        _("Correction accepted: a new version was made and everyone signs again.") if accept
        else _("The refusal and its reason were recorded."), court=True, anchor="#corrections")


@login_required
@require_POST
def code(request, hearing_id: int):
    return _act(request, hearing_id, lambda ta: services.sign_code_send(ta=ta, actor=request.user),
                _("A 6-digit code was sent to your phone."), anchor="#sign")


def _data_url_png(value: str) -> bytes:
    head, _sep, body = (value or "").partition(",")
    if head != "data:image/png;base64":
        raise invalid(_("Sign in the box first."), "transcript_bad_strokes", field="strokes")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise invalid(_("Sign in the box first."), "transcript_bad_strokes", field="strokes") from None


@login_required
@require_POST
def sign(request, hearing_id: int):
    return _act(request, hearing_id, lambda ta: services.transcript_sign(
        ta=ta, actor=request.user, strokes_png=_data_url_png(request.POST.get("strokes", "")),
        code=request.POST.get("code", ""), device=request.headers.get("User-Agent", "")),
        _("Signed. Your signature is on the transcript and on the case journal."), anchor="#sign")


@login_required
@require_POST
def refuse(request, hearing_id: int):
    signoff_id = request.POST.get("signoff_id") or None
    return _act(request, hearing_id, lambda ta: services.transcript_refuse(
        ta=ta, actor=request.user, reason=request.POST.get("reason", ""),
        signoff_id=int(signoff_id) if signoff_id and signoff_id.isdigit() else None),
        _("The refusal to sign and its reason were recorded on the transcript."), anchor="#sign")


@login_required
@require_POST
def unlock(request, hearing_id: int, signoff_id: int):
    return _act(request, hearing_id, lambda ta: services.signoff_unlock(ta=ta, actor=request.user,
                                                                       signoff_id=signoff_id),
                _("Signing was unlocked."), court=True)


@login_required
@require_POST
def pronounce(request, hearing_id: int):
    return _act(request, hearing_id, lambda ta: services.judgment_pronounce(ta=ta, actor=request.user),
                _("Recorded: the judgment was pronounced in court. It must be sent within 10 days."), court=True)

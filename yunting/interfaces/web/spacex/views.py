"""Pages of the case space's extras: document delivery with a signed receipt, hearing-time polls, payouts (案款发还)
and live Q&A sessions (with the public link of an outreach session). Phone-first for members. Each act: access,
one service, a message, back; every read checks access and writes the read log."""

from __future__ import annotations

import base64
import binascii
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.kernel.common.errors import ApplicationError, NotFound
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.broadcasts import services as bc
from yunting.workflows.broadcasts.models import BroadcastCase
from yunting.workflows.deliveries import selectors as dsel
from yunting.workflows.deliveries import services as dsvc
from yunting.workflows.payouts import banks
from yunting.workflows.payouts import selectors as psel
from yunting.workflows.payouts import services as psvc

ANON_COOKIE = "yt_viewer"


def _access(request, case_id, need=Capability.VIEW_CASE):
    try:
        return access_case_for(request.user, case_id, need=need)
    except CaseNotFound:
        raise Http404("case") from None


def _log(request, action, *, case_id=None, object_type="", object_id=""):
    read_log(user=request.user, action=action, channel="web", case_id=case_id, object_type=object_type,
             object_id=object_id, ip=client_ip(request))


def _png(value: str) -> bytes:
    prefix = "data:image/png;base64,"
    if not value.startswith(prefix):
        return b""
    try:
        return base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        return b""


# --- the case's hub -------------------------------------------------------------------------------------------
@login_required
def case_index(request, case_id: int):
    """案件空间事务: what the space offers on this case — deliveries, hearing-time polls, payouts, live sessions."""
    from yunting.workflows.hearings import selectors as hsel
    from yunting.workflows.hearings import services as hsvc

    access = _access(request, case_id)
    case = access.case
    court = access.can(Capability.WRITE_JOURNAL)
    judge = court and bool(access.roles & set(psvc.JUDGE_ROLES))
    payouts = [p for p in psel.payouts_for_case(case) if court or psvc.my_shares(p, request.user)]
    _log(request, "casespace.extras", case_id=case.pk, object_type="case", object_id=case.pk)
    return render(request, "spacex/case.html", {
        "case": case, "access": access, "court": court, "judge": judge,
        "deliveries": dsel.deliveries_for_case(case, user=request.user, court=court),
        "documents": dsel.court_documents(case) if court else [],
        "members": dsvc.members(case.pk) if court else [],
        "hearings": [h for h in hsel.hearings_for_case(case) if h.state in ("voting", "proposed", "confirmed")],
        "planner": court and bool(access.roles & set(hsvc.PLANNER_ROLES)),
        "payouts": payouts, "parties": list(case.parties.order_by("order", "id")) if judge else [],
        "broadcasts": [x.broadcast for x in BroadcastCase.objects.filter(case=case).select_related("broadcast")],
        "section": "space"})


# --- deliveries -------------------------------------------------------------------------------------------------
@login_required
@require_POST
def delivery_send(request, case_id: int):
    access = _access(request, case_id)
    try:
        dsvc.delivery_send(access=access, actor=request.user, document_id=request.POST.get("document"),
                           user_id=(request.POST.get("member") or ":").split(":")[0],
                           party_id=(request.POST.get("member") or ":").split(":")[-1] or None,
                           note=request.POST.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Delivered: the member gets a card in the case space."))
    return redirect(reverse("spacex:case", args=[case_id]) + "#deliveries")


def _delivery(request, delivery_id):
    try:
        return dsvc.delivery_for(user=request.user, delivery_id=delivery_id)
    except NotFound:
        raise Http404("delivery") from None


@login_required
@require_GET
def delivery_detail(request, delivery_id: int):
    d = _delivery(request, delivery_id)
    _log(request, "delivery.view", case_id=d.case_id, object_type="delivery", object_id=d.pk)
    return render(request, "spacex/delivery.html", {
        "d": d, "case": d.case, "mine": d.recipient_id == request.user.pk, "consented": dsvc.consented(d),
        "certificate": dsel.certificate_for(d)})


@login_required
@require_GET
def delivery_document(request, delivery_id: int):
    """The delivered document's bytes; the recipient's first opening is journaled, every reading read-logged."""
    from yunting.kernel.blobs.store import blob_iter

    d = _delivery(request, delivery_id)
    dsvc.delivery_open(delivery=d, user=request.user)
    _log(request, "document.read", case_id=d.case_id, object_type="document", object_id=d.document_id)
    blob = d.document.blob
    response = StreamingHttpResponse(blob_iter(d.document.blob_id), content_type=blob.mime_type)
    response["Content-Length"] = str(blob.size)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def delivery_sign(request, delivery_id: int):
    d = _delivery(request, delivery_id)
    try:
        d = dsvc.delivery_sign(delivery=d, user=request.user, strokes_png=_png(request.POST.get("strokes", "")),
                               confirmed=request.POST.get("confirm") == "1")
    except NotFound:
        raise Http404("delivery") from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Receipt signed: this counts as electronic service.") if d.served
                         else _("Receipt signed. Without consent to electronic service it is not service."))
    return redirect("spacex:delivery", delivery_id)


# --- hearing-time polls -------------------------------------------------------------------------------------------
@login_required
@require_POST
def poll_open(request, case_id: int):
    from yunting.workflows.spacepolls.services import poll_open as open_poll

    access = _access(request, case_id)
    try:
        hearing = open_poll(access=access, actor=request.user, stage_kind=request.POST.get("stage_kind", "trial"),
                            vote_hours=request.POST.get("vote_hours") or 24,
                            hearing_id=request.POST.get("hearing") or None)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("spacex:case", args=[case_id]) + "#polls")
    messages.success(request, _("Times posted to the case space; the members are voting."))
    return redirect("spacex:poll", case_id, hearing.pk)


@login_required
def poll_detail(request, case_id: int, hearing_id: int):
    """The poll on a phone: each member says which times they can attend; the judge fixes one."""
    from yunting.workflows.hearings import services as hsvc

    access = _access(request, case_id)
    try:
        hearing = hsvc.hearing_get(access, hearing_id)
    except ApplicationError:
        raise Http404("hearing") from None
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("op") == "consent":
                hsvc.hearing_consent(access=access, actor=request.user, hearing=hearing, action=p.get("action", ""),
                                     party_id=p.get("party") or None, reason=p.get("reason", ""))
                messages.success(request, _("Your answer on online attendance is recorded."))
            elif p.get("op") == "confirm":
                hsvc.hearing_confirm(access=access, actor=request.user, hearing=hearing,
                                     option_id=p.get("option") or None, reason=p.get("reason", ""))
                messages.success(request, _("Hearing confirmed; the summonses are issued."))
            else:
                answers = {k[7:]: v == "1" for k, v in p.items() if k.startswith("option_")}
                hsvc.hearing_vote(access=access, actor=request.user, hearing=hearing, answers=answers,
                                  party_id=p.get("party") or None)
                messages.success(request, _("Your answer is recorded. You can change it until voting closes."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("spacex:poll", case_id, hearing_id)
    _log(request, "hearings.view", case_id=access.case.pk, object_type="hearing", object_id=hearing.pk)
    court = access.can(Capability.WRITE_JOURNAL)
    mine = {}
    from yunting.workflows.hearings.models import HearingVote

    for v in HearingVote.objects.filter(option__hearing=hearing, user=request.user):
        mine[v.option_id] = v.available
    options = [{"o": t["option"], "yes": t["yes"], "no": t["no"], "mine": mine.get(t["option"].pk)}
               for t in hsvc.vote_tally(hearing)]
    parties = hsvc._party_ids(access.case.pk, request.user)
    consents = [c for c in hearing.consents.select_related("party") if court or c.party_id in parties]
    return render(request, "spacex/poll.html", {"consents": consents,
        "case": access.case, "hearing": hearing, "options": options, "court": court,
        "judge": court and bool(access.roles & set(hsvc.JUDGE_ROLES)),
        "voter": bool(hsvc._party_ids(access.case.pk, request.user))})


# --- payouts ------------------------------------------------------------------------------------------------------
@login_required
@require_POST
def payout_open(request, case_id: int):
    access = _access(request, case_id)
    p = request.POST
    shares = [{"party_id": pid, "amount": p.get(f"amount_{pid}")} for pid in p.getlist("party")]
    try:
        payout = psvc.payout_open(access=access, actor=request.user, received_total=p.get("received_total"),
                                  shares=shares, note=p.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("spacex:case", args=[case_id]) + "#payouts")
    messages.success(request, _("Payout form opened: each recipient gets a card to confirm and sign."))
    return redirect("spacex:payout", payout.pk)


def _payout(request, payout_id):
    try:
        return psvc.payout_for(user=request.user, payout_id=payout_id)
    except NotFound:
        raise Http404("payout") from None


@login_required
@require_GET
def payout_detail(request, payout_id: int):
    payout, access = _payout(request, payout_id)
    court = access.can(Capability.WRITE_JOURNAL)
    _log(request, "payout.view", case_id=payout.case_id, object_type="payout", object_id=payout.pk)
    data = psel.payout_json(payout, user=request.user, court=court)
    return render(request, "spacex/payout.html", {
        "payout": payout, "data": data, "case": payout.case, "court": court,
        "judge": court and bool(access.roles & set(psvc.JUDGE_ROLES)),
        "mine": [s for s in data["shares"] if s["mine"]], "banks": banks.choices()})


@login_required
@require_POST
def payout_act(request, payout_id: int):
    payout, access = _payout(request, payout_id)
    p, op = request.POST, request.POST.get("op", "")
    try:
        if op == "confirm":
            psvc.share_confirm(payout=payout, user=request.user, share_id=p.get("share"),
                               amount_confirmed=p.get("amount_ok") == "1", account_number=p.get("account_number", ""),
                               bank_code=p.get("bank_code", ""), account_name=p.get("account_name", ""))
            done = _("Amount and bank account confirmed. Now sign the distribution record.")
        elif op == "sign":
            psvc.share_sign(payout=payout, user=request.user, share_id=p.get("share"),
                            strokes_png=_png(p.get("strokes", "")), device=request.headers.get("User-Agent", ""))
            done = _("Signed. The court pays once the judge approves.")
        elif op == "approve":
            psvc.payout_approve(access=access, actor=request.user, payout=payout)
            done = _("Approved: the records are sealed and in the e-file.")
        elif op == "cancel":
            psvc.payout_cancel(access=access, actor=request.user, payout=payout, reason=p.get("reason", ""))
            done = _("Payout cancelled.")
        else:
            raise Http404("op")
    except NotFound:
        raise Http404("payout") from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("spacex:payout", payout_id)


# --- live sessions ------------------------------------------------------------------------------------------------
@login_required
def broadcasts(request):
    """My live sessions; a judge opens one for the cases of a cause or a list of case numbers."""
    from yunting.core.cases.models import Cause

    host = bc.may_host(request.user)
    if request.method == "POST":
        if not host:
            raise Http404("host")
        p = request.POST
        try:
            b = bc.broadcast_create(actor=request.user, title=p.get("title", ""), description=p.get("description", ""),
                                    cause_code=p.get("cause", ""), public=p.get("public") == "1",
                                    case_numbers=[n for n in p.get("case_numbers", "").replace("，", "\n").replace(
                                        ",", "\n").splitlines()])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("spacex:broadcasts")
        messages.success(request, _("Live session created: each case's space got a card."))
        return redirect("spacex:broadcast", b.pk)
    rows = bc.broadcasts_for_user(request.user)
    causes = []
    if host:
        ids = bc._host_cases(request.user).values_list("cause_id", flat=True)
        causes = list(Cause.objects.filter(code__in=ids).order_by("order", "code"))
    return render(request, "spacex/broadcasts.html", {"rows": rows, "host": host, "causes": causes})


def _broadcast(request, broadcast_id):
    try:
        return bc.broadcast_for(user=request.user, broadcast_id=broadcast_id)
    except NotFound:
        raise Http404("broadcast") from None


@login_required
@require_GET
def broadcast_detail(request, broadcast_id: int):
    b, role = _broadcast(request, broadcast_id)
    # one row per viewing: a session may cover hundreds of cases, and shows none of their data
    _log(request, "broadcast.view", object_type="broadcast", object_id=b.pk)
    public_url = request.build_absolute_uri(reverse("live:page", args=[b.public_token])) if (
        role == "host" and b.public_token) else ""
    return render(request, "spacex/broadcast.html", {
        "b": b, "role": role, "public_url": public_url, "live_url": reverse("spacex:broadcast_live", args=[b.pk]),
        "ask_url": reverse("spacex:broadcast_act", args=[b.pk]), "cases": b.cases.count() if role != "member" else 0})


@login_required
@require_GET
def broadcast_live(request, broadcast_id: int):
    b, role = _broadcast(request, broadcast_id)
    bc.viewer_seen(broadcast=b, user=request.user)
    return JsonResponse(bc.snapshot(b, role=role, after=_int(request.GET.get("after"))),
                        json_dumps_params={"ensure_ascii": False})


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def broadcast_act(request, broadcast_id: int):
    b, role = _broadcast(request, broadcast_id)
    p, op = request.POST, request.POST.get("op", "")
    try:
        if op == "ask":
            bc.question_ask(broadcast=b, user=request.user, text=p.get("text", ""))
            done = _("Question sent: the judge will publish it or answer it.")
        elif op == "start":
            bc.broadcast_start(broadcast=b, actor=request.user)
            done = _("You are live.")
        elif op == "end":
            bc.broadcast_end(broadcast=b, actor=request.user)
            done = _("Session ended.")
        elif op == "post":
            bc.broadcast_post(broadcast=b, actor=request.user, text=p.get("text", ""),
                              question_id=p.get("question") or None)
            done = _("Published.")
        elif op in ("publish", "reject"):
            bc.question_decide(broadcast=b, actor=request.user, question_id=p.get("question"), publish=op == "publish")
            done = _("Published.") if op == "publish" else _("Not published.")
        else:
            raise Http404("op")
    except ApplicationError as exc:
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(exc.as_dict(), status=429 if exc.code == "broadcast_rate_limited" else exc.http_status,
                                json_dumps_params={"ensure_ascii": False})
        messages.error(request, exc.message)
    else:
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"ok": True, "message": str(done)}, json_dumps_params={"ensure_ascii": False})
        messages.success(request, done)
    return redirect("spacex:broadcast", broadcast_id)


# --- the public link (no login) -----------------------------------------------------------------------------------
def _public(token):
    try:
        return bc.broadcast_public(token)
    except NotFound:
        raise Http404("broadcast") from None


def _anon(request) -> str:
    return request.COOKIES.get(ANON_COOKIE, "")[:64]


@require_GET
def public_page(request, token: str):
    """普法直播 for anyone with the link: the stream, published questions, counts; no case data at all."""
    b = _public(token)
    response = render(request, "spacex/public.html", {
        "b": b, "live_url": reverse("live:live", args=[token]), "ask_url": reverse("live:ask", args=[token])})
    if not _anon(request):
        response.set_cookie(ANON_COOKIE, secrets.token_urlsafe(24), max_age=7 * 86400, httponly=True, samesite="Lax")
    return response


@require_GET
def public_live(request, token: str):
    b = _public(token)
    if _anon(request):
        bc.viewer_seen(broadcast=b, anonymous_id=_anon(request))
    return JsonResponse(bc.snapshot(b, role="public", after=_int(request.GET.get("after"))),
                        json_dumps_params={"ensure_ascii": False})


@require_POST
def public_ask(request, token: str):
    b = _public(token)
    if not _anon(request):
        return JsonResponse({"code": "broadcast_cookie", "message": _("Open the page first."), "data": {}},
                            status=400, json_dumps_params={"ensure_ascii": False})
    try:
        bc.question_ask(broadcast=b, anonymous_id=_anon(request), text=request.POST.get("text", ""))
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=429 if exc.code == "broadcast_rate_limited" else exc.http_status,
                            json_dumps_params={"ensure_ascii": False})
    return JsonResponse({"ok": True, "message": _("Question sent: the judge will publish it or answer it.")},
                        json_dumps_params={"ensure_ascii": False})

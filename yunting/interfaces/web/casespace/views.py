"""案件空间 pages. Thin: access through casespace.selectors (members only; 404 like a missing space), one service
call, a message. The chat itself runs over /ws/spaces/{id}/ (assets/yunting/space.js)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunting.core.cases.models import Case, Participation
from yunting.kernel.blobs.store import blob_iter
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.security.audit import client_ip, read_log
from yunting.workflows.casespace import selectors, services
from yunting.workflows.casespace.attachments import VOICE_MAX_S, space_upload
from yunting.workflows.casespace.errors import SpaceNotFound
from yunting.workflows.casespace.models import Member
from yunting.workflows.casespace.selectors import item_message
from yunting.workflows.casespace.transcript import space_transcript_file

MODERATOR_ROLES = ("presiding_judge", "judge", "judge_assistant")


def _space(request, space_id, *, allow_removed=False):
    try:
        return selectors.space_get_for(request.user, space_id, allow_removed=allow_removed)
    except SpaceNotFound:
        raise Http404("space") from None


@login_required
@require_GET
def space_list(request):
    spaces = selectors.spaces_for(request.user)
    can_group = Participation.objects.filter(user=request.user, role__in=MODERATOR_ROLES).exists()
    return render(request, "casespace/list.html", {"spaces": spaces, "can_group": can_group, "nav": "casespace"})


@login_required
@require_POST
def group_create(request):
    try:
        space = services.space_group_create(actor=request.user, numbers=request.POST.get("numbers", ""),
                                            title=request.POST.get("title", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("casespace:list")
    messages.success(request, _("The group space is open."))
    return redirect("casespace:space", space_id=space.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_space(request, case_id: int):
    """A case's space, opened the first time someone taking part in the case asks for it.

    Opening it is an act on the record (a journal entry), so a GET only goes to a space the person is already
    in; otherwise it shows the button that opens (or joins) it with a POST — a link followed by a crawler, a
    prefetch or a preview changes nothing."""
    space, takes_part = selectors.space_case_state(request.user, case_id)
    if not takes_part:
        raise Http404("space")
    joined = space is not None and Member.objects.filter(space=space, user=request.user).exists()
    if request.method == "GET":
        if joined:
            return redirect("casespace:space", space_id=space.pk)
        case = Case.objects.select_related("court").get(pk=case_id)
        return render(request, "casespace/open.html", {"case": case, "space": space, "nav": "casespace"})
    try:
        space = services.space_open(actor=request.user, case_id=case_id)
    except SpaceNotFound:
        raise Http404("space") from None
    return redirect("casespace:space", space_id=space.pk)


def _strings() -> dict:
    return {
        "muted": _("You are muted: what you send reaches no one."),
        "allMuted": _("Everyone is muted: only the court can speak now."),
        "removed": _("You were removed from this space."),
        "disconnected": _("Connection lost; reconnecting…"),
        "read": _("Read %(n)s"),
        "voice": _("Voice message"),
        "recording": _("Recording… tap again to send (at most %(s)d s)") % {"s": VOICE_MAX_S},
        "noMic": _("No microphone could be opened."),
        "uploading": _("Sending…"),
        "open": pgettext("case space", "Open"),
        "sensitive": _("Not sent: the text contains words that are not allowed here."),
        "cards": {"delivery": _("Document delivery"), "poll": _("Hearing time poll"), "payout": pgettext("case space", "Payout"),
                  "broadcast": _("Live session"), "notice": pgettext("case space", "Notice")},
    }


@login_required
@require_GET
def space_page(request, space_id: int):
    space, member = _space(request, space_id, allow_removed=True)
    if member.removed_at is not None:
        return render(request, "casespace/removed.html", {"space": space, "member": member, "nav": "casespace"},
                      status=403)
    items = selectors.space_items(space, member)
    atts = selectors.attachments_by_item(items)
    read_log(user=request.user, action="casespace.view", channel="web", case_id=space.lead_case_id,
             object_type="space", object_id=space.pk, ip=client_ip(request))
    members = selectors.space_members(space)
    me = next((m for m in members if m["user_id"] == request.user.pk), None)
    config = {"wsPath": f"/ws/spaces/{space.pk}/", "spaceId": space.pk, "me": request.user.pk,
              "moderator": member.moderator, "courtSide": member.court_side,
              "lastSeq": items[-1].seq if items else 0, "strings": _strings(),
              "uploadUrl": f"/spaces/{space.pk}/upload/", "voiceMax": VOICE_MAX_S}
    return render(request, "casespace/space.html", {
        "space": space, "member": member, "me": me, "members": members,
        "messages_json": [item_message(i, atts.get(i.pk)) for i in items],
        "config": config, "pinned": space.pinned_item,
        "cases": [c.case for c in space.cases.select_related("case").order_by("id")[:5]],
        "case_count": space.cases.count(), "nav": "casespace",
    })


@login_required
@require_POST
def moderate(request, space_id: int):
    space, member = _space(request, space_id)
    action, p = request.POST.get("action", ""), request.POST
    try:
        if action == "mute":
            services.space_mute(space=space, actor=request.user, user_id=p.get("user_id"), minutes=p.get("minutes"),
                                reason=p.get("reason"))
            messages.success(request, _("Muted."))
        elif action == "unmute":
            services.space_unmute(space=space, actor=request.user, user_id=p.get("user_id"))
            messages.success(request, _("The mute is lifted."))
        elif action in ("mute_all", "unmute_all"):
            services.space_mute_all(space=space, actor=request.user, muted=action == "mute_all",
                                    reason=p.get("reason", ""))
            messages.success(request, _("Everyone is muted now.") if action == "mute_all" else _("Everyone may speak again."))
        elif action == "pin":
            services.space_pin(space=space, actor=request.user, text=p.get("text", ""))
            messages.success(request, _("The notice is pinned."))
        elif action == "remove":
            services.space_remove(space=space, actor=request.user, user_id=p.get("user_id"), reason=p.get("reason"))
            messages.success(request, _("The member was removed."))
        elif action == "export":
            if not member.court_side:
                from yunting.workflows.casespace.errors import court_only

                raise court_only()
            space_transcript_file(space=space, actor=request.user, reason="on_demand")
            messages.success(request, _("The transcript is in the e-file."))
        else:
            messages.error(request, _("Unknown action."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("casespace:space", space_id=space.pk)


@login_required
@require_POST
def upload(request, space_id: int):
    """A voice message or a file, through the checked intake; the item appears once the check accepts it."""
    space, _member = _space(request, space_id)
    f = request.FILES.get("file")
    try:
        if f is None:
            raise ApplicationError(_("Choose a file to upload."), code="upload_missing")
        up = space_upload(space=space, user=request.user, stream=f, kind=request.POST.get("kind", "file"))
    except ApplicationError as exc:
        if request.headers.get("Accept", "").startswith("application/json"):
            from django.http import JsonResponse

            return JsonResponse(exc.as_dict(), status=exc.http_status)
        messages.error(request, exc.message)
        return redirect("casespace:space", space_id=space.pk)
    up.refresh_from_db()
    if request.headers.get("Accept", "").startswith("application/json"):
        from django.http import JsonResponse

        return JsonResponse({"status": up.status, "problems": up.problems or []}, status=201)
    if up.status == "refused":
        messages.error(request, "；".join(p["message"] for p in up.problems or []) or _("The file was refused."))
    return redirect("casespace:space", space_id=space.pk)


@login_required
@require_GET
def attachment(request, space_id: int, attachment_id: int):
    space, member = _space(request, space_id)
    try:
        att = selectors.attachment_for(space, attachment_id)
    except SpaceNotFound:
        raise Http404("attachment") from None
    read_log(user=request.user, action="casespace.attachment", channel="web", case_id=space.lead_case_id,
             object_type="space_attachment", object_id=att.pk, ip=client_ip(request))
    response = StreamingHttpResponse(blob_iter(att.sha256), content_type=att.mime_type)
    response["Content-Length"] = str(att.size)
    response["X-Content-Type-Options"] = "nosniff"
    disposition = "inline" if att.kind == "voice" else "attachment"
    from urllib.parse import quote

    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(att.filename or 'file')}"
    return response

"""在线庭室: the virtual courtroom (rules → identity re-verification → the room), a case's rooms for its judge,
one-time invitation links, and the operations page for court staff. Thin: access, one service, a message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods

from yunting.core.cases.access import Capability, access_case_for
from yunting.core.cases.errors import CaseNotFound
from yunting.core.people.choices import COURT_STAFF_ROLES
from yunting.core.people.models import Membership
from yunting.core.rooms import services
from yunting.core.rooms.choices import Activity, ParticipantState, Seat
from yunting.core.rooms.models import Participant, Room
from yunting.core.rooms.selectors import room_seat_for, rooms_live
from yunting.interfaces.realtime.rooms import GUEST_SESSION_KEY
from yunting.kernel.common.errors import ApplicationError
from yunting.kernel.security.audit import client_ip, read_log

RULES = [
    gettext_lazy("The national emblem is displayed; the session is as solemn as a hearing in the courtroom."),
    gettext_lazy("Take part from a quiet, private place, alone, with your face fully in the picture."),
    gettext_lazy("Do not record, photograph or broadcast the session; it is recorded by the court."),
    gettext_lazy("Speak only when the presiding judge gives you the floor; keep your microphone muted otherwise."),
    gettext_lazy("Do not leave your seat or the picture without the presiding judge's permission."),
    gettext_lazy("Witnesses may not follow the session before testifying."),
    gettext_lazy("Breaking these rules may lead to removal from the session and sanctions under the Civil Procedure Law."),
]


def _guest_ids(request) -> list[int]:
    return list(request.session.get(GUEST_SESSION_KEY, []))


def _seat(request, room_id):
    try:
        return room_seat_for(request.user, room_id, guest_participant_ids=_guest_ids(request))
    except ApplicationError:
        raise Http404("room") from None


@require_http_methods(["GET", "POST"])
def room_page(request, room_id: int):
    seat = _seat(request, room_id)
    room = seat.room
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "ack":
                services.room_acknowledge_rules(participant=seat)
            elif action == "send_code":
                services.room_verify_request(participant=seat)
                messages.success(request, _("A one-time code was sent to %(phone)s.") % {
                    "phone": seat.user.phone_masked if seat.user_id and seat.user.phone else _("your phone")})
            elif action == "verify":
                face = request.FILES.get("face")
                services.room_verify(participant=seat, code=request.POST.get("code", "").strip(),
                                     face_image=face.read(2 * 1024 * 1024) if face else None)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("rooms:room", room_id=room.pk)
    if seat.state == ParticipantState.REMOVED:
        raise Http404("room")
    step = ("rules" if seat.rules_acknowledged_at is None
            else "verify" if seat.verified_at is None and not seat.is_host else "room")
    context = {"room": room, "seat": seat, "step": step, "rules": RULES, "case": room.case,
               "face_required": bool(settings.ROOMS_FACE_MATCH), "host": seat.is_host}
    if step == "room":
        read_log(user=request.user if request.user.is_authenticated else None, action="room.enter", channel="web",
                 case_id=room.case_id, object_type="room", object_id=room.pk, ip=client_ip(request))
        context["config"] = {
            "wsPath": f"/ws/rooms/{room.pk}/", "roomId": room.pk, "host": seat.is_host, "state": room.state,
            "iceServers": settings.ROOMS_ICE_SERVERS,
            "seatLabels": dict(Seat.choices),
            "strings": _js_strings(),
        }
        from yunting.workflows.witnesses.selectors import application_for_seat, witness_page_state

        witness = application_for_seat(seat)
        if witness is not None:  # the witness's own panel: waiting room → identity again → oath → testify
            context["witness"] = witness_page_state(witness, seat)
            context["witness_state_url"] = reverse("witnesses:seat_state", args=[room.pk])
    return render(request, "rooms/room.html", context)


def _js_strings() -> dict:
    return {
        "lobby": _("You are in the waiting room. The presiding judge will let you in."),
        "removed": _("You have been removed from this session."),
        "closed": _("The session has ended."),
        "superseded": _("This seat was opened in another window."),
        "paused": _("The session is paused (休庭)."),
        "live": _("In session"),
        "open": _("Not started"),
        "mutedByHost": _("The presiding judge muted your microphone."),
        "unmutedByHost": _("The presiding judge allowed your microphone again."),
        "cameraOffByHost": _("The presiding judge turned your camera off."),
        "cameraOnByHost": _("The presiding judge allowed your camera again."),
        "admit": _("Admit"), "mute": _("Mute"), "unmute": _("Unmute"), "cameraOff": _("Camera off"),
        "cameraOn": _("Camera on"), "remove": pgettext("room", "Remove"), "breakout": _("Breakout"), "return": _("Bring back"),
        "removeReason": _("Reason for removal (recorded in the case journal):"),
        "breakoutName": _("Name of the breakout room:"),
        "noLobby": _("Nobody is waiting."),
        "noCamera": _("No camera or microphone could be opened; you can still follow the chat."),
        "quality": {"good": _("good"), "fair": _("fair"), "poor": _("poor")},
        "disconnected": _("Connection lost; reconnecting…"),
        "you": _("you"),
    }


@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """A one-time link: shown as a button first (link previews must not use it up), used on POST."""
    if request.method == "GET":
        return render(request, "rooms/invitation.html", {"token": token})
    try:
        participant = services.room_invitation_accept(token=token, user=request.user)
    except ApplicationError:
        raise Http404("invitation") from None
    ids = _guest_ids(request)
    if participant.pk not in ids:
        ids.append(participant.pk)
    request.session[GUEST_SESSION_KEY] = ids[-20:]
    return redirect("rooms:room", room_id=participant.room_id)


@login_required
@require_http_methods(["GET", "POST"])
def case_rooms(request, case_id: int):
    """A case's rooms; its judges and mediators open rooms and invite outside persons here."""
    try:
        access = access_case_for(request.user, case_id, need=Capability.VIEW_CASE)
    except CaseNotFound:
        raise Http404("case") from None
    case = access.case
    may_host = bool(access.roles & services.HOST_CASE_ROLES)
    if request.method == "POST":
        if not may_host:
            raise Http404("case")
        try:
            if request.POST.get("action") == "invite":
                room = Room.objects.get(pk=int(request.POST.get("room") or 0), case=case)
                participant = services.room_invite(room, services.Contact(
                    name=request.POST.get("name", ""), phone=request.POST.get("phone", "")),
                    request.POST.get("seat", ""), actor=request.user)
                messages.success(request, _("Invitation sent by SMS. One-time link: %(link)s") % {
                    "link": request.build_absolute_uri(reverse("rooms:join", args=[participant.invitation_token]))})
            else:
                activity = request.POST.get("activity", "")
                room = services.room_open(case, activity, request.user,
                                          services.seats_from_case(case, host=request.user))
                return redirect("rooms:room", room_id=room.pk)
        except (ApplicationError, Room.DoesNotExist, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Room not found.")))
        return redirect("rooms:case", case_id=case.pk)
    # a party sees the rooms they hold a seat in (a link to enter), never who else is there: that is for the room
    rooms = list(Room.objects.filter(case=case).prefetch_related("participants").order_by("-created_at")
                 if may_host else Room.objects.filter(case=case, pk__in=Participant.objects.filter(
                     user=request.user).exclude(state=ParticipantState.REMOVED).values("room_id")).order_by("-created_at"))
    read_log(user=request.user, action="room.list", channel="web", case_id=case.pk, object_type="case",
             object_id=case.pk, ip=client_ip(request))
    return render(request, "rooms/case_rooms.html", {
        "case": case, "rooms": rooms, "may_host": may_host, "activities": Activity.choices,
        "seats": [(v, label) for v, label in Seat.choices if v in ("witness", "interpreter", "appraiser", "prisoner",
                                                                    "principal", "prison_officer")]})


@login_required
def operations(request):
    """Rooms live now in the courts where the caller works, their participants and network quality."""
    court_ids = list(Membership.objects.filter(user=request.user, role__in=COURT_STAFF_ROLES)
                     .values_list("organisation_id", flat=True))
    if not court_ids:
        raise Http404("operations")
    rooms = rooms_live(court_ids=court_ids)
    template = "rooms/_operations_table.html" if request.headers.get("HX-Request") else "rooms/operations.html"
    return render(request, template, {"rooms": rooms, "nav": "rooms_ops"})

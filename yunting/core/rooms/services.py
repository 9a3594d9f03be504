"""Writes of online rooms. Each act is one transaction with its journal entry, so the case's journal proves who
was invited, verified, waited, was admitted, dropped, came back, left, was muted or removed, and when.

Sockets learn of these acts after commit through the journal listener in interfaces/realtime/rooms.py: the
service decides, the socket layer only delivers. Contract functions (room_open, room_invite, room_admit,
room_remove, room_close) take positional or keyword arguments; everything else is keyword-only.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.models import Participation
from yunting.core.journal.services import journal_append

from . import entries
from .choices import (
    COURT_SEATS,
    PRESENT_STATES,
    VOLUME_BY_ACTIVITY,
    Activity,
    MediaBackend,
    ParticipantState,
    RoomState,
    Seat,
)
from .errors import (
    RoomErrorCode,
    RoomNotFound,
    bad_participant_state,
    bad_state,
    invalid,
    not_host,
    room_closed,
)
from .face import face_matcher
from .models import Participant, Room, RoomInvitation

HOST_CASE_ROLES = frozenset({"presiding_judge", "judge", "judge_assistant", "clerk", "mediator"})
HOST_SEAT = {Activity.HEARING: Seat.PRESIDING_JUDGE, Activity.MEDIATION: Seat.MEDIATOR,
             Activity.WITNESSING: Seat.JUDGE, Activity.TESTIMONY: Seat.PRESIDING_JUDGE}
OTP_PURPOSE = "room"
BREAKOUT_NAME_MAX = 40


@dataclass(frozen=True)
class Contact:
    """An outside person without an account in the case: reached by a one-time link and a code to this phone."""

    name: str
    phone: str


# --- helpers ---------------------------------------------------------------------------------------------------

def _lock_room(room: Room | int) -> Room:
    pk = room.pk if isinstance(room, Room) else room
    found = Room.objects.select_for_update().select_related("case").filter(pk=pk).first()
    if found is None:
        raise RoomNotFound()
    return found


def _lock_participant(room: Room, participant: Participant | int) -> Participant:
    pk = participant.pk if isinstance(participant, Participant) else participant
    found = Participant.objects.select_for_update().filter(pk=pk, room_id=room.pk).first()
    if found is None:
        raise RoomNotFound()
    return found


def _payload(room: Room, participant: Participant | None = None, **extra) -> dict[str, Any]:
    out: dict[str, Any] = {"room_id": room.pk}
    if participant is not None:
        out.update(participant_id=participant.pk, seat=participant.seat)
    out.update(extra)
    return out


def _append(room: Room, kind: str, actor, participant: Participant | None = None, **extra):
    return journal_append(case=room.case, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                          payload=_payload(room, participant, **extra))


def is_host(room: Room, user) -> bool:
    """The room's host, or a participant the host seated as co-host (a collegial bench)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if room.host_id == user.pk:
        return True
    return Participant.objects.filter(room=room, user=user, is_host=True).exclude(
        state=ParticipantState.REMOVED).exists()


def _require_host(room: Room, actor) -> None:
    if not is_host(room, actor):
        raise not_host()


def _require_open(room: Room) -> None:
    if room.state == RoomState.CLOSED:
        raise room_closed()


def _check_seat(seat: str) -> str:
    if seat not in Seat.values:
        raise invalid(_("Unknown seat."), RoomErrorCode.SEAT, seat=seat)
    return seat


def _takes_part(case, user) -> bool:
    return Participation.objects.filter(case=case, user=user).exists()


def _seat_account(room: Room, user, seat: str, *, actor, is_host_seat: bool = False) -> Participant:
    existing = Participant.objects.filter(room=room, user=user).first()
    if existing is not None:
        if existing.state == ParticipantState.REMOVED:
            raise bad_participant_state(existing.state)
        return existing
    participant = Participant.objects.create(
        room=room, user=user, seat=seat, display_name=user.display_name, is_host=is_host_seat)
    _append(room, entries.INVITED, actor, participant, by_invitation=False)
    return participant


def _seat_contact(room: Room, contact: Contact, seat: str, *, actor, user=None) -> Participant:
    from yunting.kernel.notify.phones import phone_normalize

    name = (contact.name or "").strip()[:100]
    if not name:
        raise invalid(_("Enter the name of the person invited."), RoomErrorCode.CONTACT, field="name")
    try:
        phone = phone_normalize(contact.phone)
    except Exception as exc:
        raise invalid(_("Enter a valid mobile number."), RoomErrorCode.CONTACT, field="phone") from exc
    participant = Participant.objects.create(room=room, user=user, seat=seat, display_name=name)
    token = secrets.token_urlsafe(32)
    RoomInvitation.objects.create(
        room=room, participant=participant, token_hash=RoomInvitation.hash(token), contact_name=name,
        contact_phone=phone, created_by=actor,
        expires_at=timezone.now() + timedelta(hours=settings.ROOMS_INVITATION_HOURS))
    from yunting.kernel.notify.services import outbox_enqueue

    link = f"{settings.DOCUMENT_PUBLIC_URL.rstrip('/')}/rooms/join/{token}/"
    outbox_enqueue(phone=phone, purpose="room:invite", body=_(
        "[Yunting] You are invited to an online session of case %(case)s as %(seat)s: %(link)s") % {
        "case": room.case.number or room.case.pk, "seat": participant.get_seat_display(), "link": link})
    _append(room, entries.INVITED, actor, participant, by_invitation=True)
    participant.invitation_token = token  # shown once to the caller (the link), never stored
    return participant


# --- the contract ----------------------------------------------------------------------------------------------

@transaction.atomic
def room_open(case, activity, host, seats: Iterable[tuple[Any, str]] = (), *, title: str = "",
              media_backend: str = MediaBackend.MESH) -> Room:
    """Open a room (lobby open) for one activity of a case, hosted by a judge/mediator of the case.

    `seats`: (user or Contact, seat) pairs invited at once. Users who take part in the case are seated on their
    account; anyone else gets a one-time invitation link by SMS.
    """
    if activity not in Activity.values:
        raise invalid(_("Unknown room activity."), RoomErrorCode.ACTIVITY, activity=activity)
    if media_backend not in MediaBackend.values:
        raise invalid(_("Unknown media backend."), RoomErrorCode.ACTIVITY, media_backend=media_backend)
    roles = set(Participation.objects.filter(case=case, user=host).values_list("role", flat=True))
    if not roles & HOST_CASE_ROLES:
        raise not_host()
    seats = list(seats)
    for _person, seat in seats:
        _check_seat(seat)
    room = Room.objects.create(case=case, activity=activity, host=host, title=title[:200],
                               file_volume=VOLUME_BY_ACTIVITY[Activity(activity)], media_backend=media_backend)
    room.case = case
    host_seat = next((s for p, s in seats if p == host), HOST_SEAT[Activity(activity)])
    seated = [Participant.objects.create(room=room, user=host, seat=host_seat, display_name=host.display_name,
                                         is_host=True)]
    journal_append(case=case, kind=entries.OPENED, actor=host, payload={
        "room_id": room.pk, "activity": activity, "host_id": host.pk, "file_volume": room.file_volume,
        "media_backend": media_backend, "seats": [{"participant_id": seated[0].pk, "seat": host_seat}]})
    for person, seat in seats:
        if person == host:
            continue
        room_invite(room, person, seat, actor=host)
    return room


@transaction.atomic
def room_invite(room: Room, person_or_contact, seat: str, *, actor=None) -> Participant:
    """Seat one more person. An account that takes part in the case is seated directly; a Contact (or an account
    outside the case, such as a witness) gets a one-time link sent by SMS (`participant.invitation_token`)."""
    room = _lock_room(room)
    _require_open(room)
    actor = actor or room.host
    _require_host(room, actor)
    _check_seat(seat)
    if isinstance(person_or_contact, Contact):
        return _seat_contact(room, person_or_contact, seat, actor=actor)
    user = person_or_contact
    if _takes_part(room.case, user) or seat in COURT_SEATS and is_host(room, user):
        return _seat_account(room, user, seat, actor=actor, is_host_seat=False)
    existing = Participant.objects.filter(room=room, user=user).first()
    if existing is not None:
        return existing
    if not user.phone:
        raise invalid(_("This person has no mobile number for the invitation."), RoomErrorCode.CONTACT,
                      field="phone")
    return _seat_contact(room, Contact(name=user.display_name, phone=user.phone), seat, actor=actor, user=user)


@transaction.atomic
def room_admit(room: Room, participant: Participant, *, actor=None) -> Participant:
    """Let a participant waiting in the lobby into the room."""
    room = _lock_room(room)
    _require_open(room)
    actor = actor or room.host
    _require_host(room, actor)
    participant = _lock_participant(room, participant)
    if participant.state != ParticipantState.LOBBY:
        raise bad_participant_state(participant.state)
    participant.state, participant.admitted_at = ParticipantState.ADMITTED, timezone.now()
    participant.save(update_fields=["state", "admitted_at"])
    _append(room, entries.ADMITTED, actor, participant)
    return participant


@transaction.atomic
def room_remove(room: Room, participant: Participant, reason: str, *, actor=None) -> Participant:
    """Remove a participant for good (their socket is closed; they cannot come back into this room)."""
    room = _lock_room(room)
    _require_open(room)
    actor = actor or room.host
    _require_host(room, actor)
    reason = (reason or "").strip()
    if not reason:
        raise invalid(_("Give the reason for removing this participant."), RoomErrorCode.REASON, field="reason")
    participant = _lock_participant(room, participant)
    if participant.state == ParticipantState.REMOVED:
        raise bad_participant_state(participant.state)
    if participant.user_id is not None and participant.user_id == room.host_id:
        raise bad_participant_state("host")
    participant.state, participant.removed_reason = ParticipantState.REMOVED, reason[:200]
    participant.left_at, participant.breakout = timezone.now(), ""
    participant.save(update_fields=["state", "removed_reason", "left_at", "breakout"])
    _append(room, entries.REMOVED, actor, participant, reason=reason[:200])
    return participant


@transaction.atomic
def room_close(room: Room, *, actor=None) -> Room:
    """End the session: everyone present is let out, nobody can join again."""
    room = _lock_room(room)
    _require_open(room)
    actor = actor or room.host
    _require_host(room, actor)
    now = timezone.now()
    Participant.objects.filter(room=room, state__in=[*PRESENT_STATES, ParticipantState.LOBBY]).update(
        state=ParticipantState.LEFT, left_at=now, breakout="")
    room.state, room.closed_at = RoomState.CLOSED, now
    room.save(update_fields=["state", "closed_at", "updated_at"])
    duration = int((now - room.started_at).total_seconds()) if room.started_at else 0
    _append(room, entries.CLOSED, actor, duration_seconds=duration)
    return room


@transaction.atomic
def room_send_to_lobby(*, room: Room, participant: Participant, actor, reason: str = "") -> Participant:
    """Move an admitted participant back to the lobby (a witness whose testimony was stopped): from the commit on,
    their socket is out of the room group and receives nothing of the room until admitted again."""
    room, participant = _control(room, participant, actor)
    if participant.state not in PRESENT_STATES:
        raise bad_participant_state(participant.state)
    if participant.is_host or participant.user_id == room.host_id:
        raise bad_participant_state("host")
    # admitted_at cleared: a reconnect after a dropped connection must land in the lobby, not back in the room
    participant.state, participant.breakout, participant.admitted_at = ParticipantState.LOBBY, "", None
    participant.save(update_fields=["state", "breakout", "admitted_at"])
    _append(room, entries.SENT_TO_LOBBY, actor, participant, reason=(reason or "")[:200])
    return participant


# --- host controls ---------------------------------------------------------------------------------------------

def _room_state_change(room: Room, actor, allowed_from: Sequence[str], to: str, kind: str) -> Room:
    room = _lock_room(room)
    _require_open(room)
    _require_host(room, actor)
    if room.state not in allowed_from:
        raise bad_state(room.state)
    room.state = to
    fields = ["state", "updated_at"]
    if to == RoomState.LIVE and room.started_at is None:
        room.started_at = timezone.now()
        fields.append("started_at")
    room.save(update_fields=fields)
    _append(room, kind, actor)
    return room


@transaction.atomic
def room_start(*, room: Room, actor) -> Room:
    """开庭: the session is on record from now."""
    return _room_state_change(room, actor, [RoomState.OPEN], RoomState.LIVE, entries.STARTED)


@transaction.atomic
def room_pause(*, room: Room, actor) -> Room:
    """休庭: no media is relayed until resumed."""
    return _room_state_change(room, actor, [RoomState.LIVE], RoomState.PAUSED, entries.PAUSED)


@transaction.atomic
def room_resume(*, room: Room, actor) -> Room:
    return _room_state_change(room, actor, [RoomState.PAUSED], RoomState.LIVE, entries.RESUMED)


def _control(room, participant, actor) -> tuple[Room, Participant]:
    room = _lock_room(room)
    _require_open(room)
    _require_host(room, actor)
    participant = _lock_participant(room, participant)
    if participant.state == ParticipantState.REMOVED:
        raise bad_participant_state(participant.state)
    return room, participant


@transaction.atomic
def room_mute(*, room: Room, participant: Participant, actor, muted: bool = True) -> Participant:
    """Mute (or unmute) a participant: from now the server relays no audio of theirs (see docs/ROOMS.md)."""
    room, participant = _control(room, participant, actor)
    if participant.muted_audio == muted:
        return participant
    participant.muted_audio = muted
    participant.save(update_fields=["muted_audio"])
    _append(room, entries.MUTED, actor, participant, muted=muted)
    return participant


def room_unmute(*, room: Room, participant: Participant, actor) -> Participant:
    return room_mute(room=room, participant=participant, actor=actor, muted=False)


@transaction.atomic
def room_camera(*, room: Room, participant: Participant, actor, off: bool = True) -> Participant:
    """Turn a participant's camera off (or allow it again): the server relays no video of theirs meanwhile."""
    room, participant = _control(room, participant, actor)
    if participant.camera_off == off:
        return participant
    participant.camera_off = off
    participant.save(update_fields=["camera_off"])
    _append(room, entries.CAMERA, actor, participant, camera_off=off)
    return participant


@transaction.atomic
def room_breakout(*, room: Room, participant: Participant, actor, name: str = "caucus") -> Participant:
    """Move a participant into a private breakout (mediation caucus): they and whoever the host moves there (the
    host included) see and hear only each other; the main room no longer reaches them."""
    room, participant = _control(room, participant, actor)
    name = (name or "").strip()[:BREAKOUT_NAME_MAX]
    if not name:
        raise invalid(_("Name the breakout room."), RoomErrorCode.STATE, field="name")
    if participant.state not in PRESENT_STATES:
        raise bad_participant_state(participant.state)
    participant.state, participant.breakout = ParticipantState.BREAKOUT, name
    participant.save(update_fields=["state", "breakout"])
    _append(room, entries.BREAKOUT, actor, participant, name=name)
    return participant


@transaction.atomic
def room_return(*, room: Room, participant: Participant, actor) -> Participant:
    room, participant = _control(room, participant, actor)
    if participant.state != ParticipantState.BREAKOUT:
        raise bad_participant_state(participant.state)
    name = participant.breakout
    participant.state, participant.breakout = ParticipantState.ADMITTED, ""
    participant.save(update_fields=["state", "breakout"])
    _append(room, entries.RETURNED, actor, participant, name=name)
    return participant


# --- entry: rules, identity, join, leave, drop -----------------------------------------------------------------

@transaction.atomic
def room_acknowledge_rules(*, participant: Participant) -> Participant:
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.rules_acknowledged_at is None:
        participant.rules_acknowledged_at = timezone.now()
        participant.save(update_fields=["rules_acknowledged_at"])
    return participant


def _verification_phone(participant: Participant) -> str:
    invitation = RoomInvitation.objects.filter(participant=participant).first()
    if invitation is not None:
        return invitation.contact_phone
    return participant.user.phone if participant.user_id else ""


def _require_real_name(participant: Participant) -> None:
    if participant.user_id is None:  # an invited outside person: named by the court, checked by code (and face)
        return
    user = participant.user
    if not (user.real_name and user.id_number):
        raise invalid(_("Online sessions need a real-name account (name and ID number)."),
                      RoomErrorCode.NOT_REAL_NAME)


def room_verify_request(*, participant: Participant):
    """Send the one-time code for identity re-verification at entry (OLR art 7)."""
    from yunting.kernel.notify.services import otp_issue

    _require_real_name(participant)
    phone = _verification_phone(participant)
    if not phone:
        raise invalid(_("There is no mobile number to send the code to."), RoomErrorCode.CONTACT, field="phone")
    return otp_issue(phone=phone, purpose=f"{OTP_PURPOSE}:{participant.room_id}")


def room_verify(*, participant: Participant, code: str, face_image: bytes | None = None) -> Participant:
    """Check the one-time code (and the face, when the court requires it) and record the re-verification.

    The code check runs in its own transaction (a wrong guess is counted even though nothing else happens);
    using the code up and recording the verification are one transaction."""
    from yunting.kernel.notify.services import otp_consume, otp_verify

    _require_real_name(participant)
    phone = _verification_phone(participant)
    verification = otp_verify(phone=phone, purpose=f"{OTP_PURPOSE}:{participant.room_id}", code=code)
    method = "otp"
    matcher = face_matcher()
    if matcher is not None:
        user = participant.user
        result = matcher.match(real_name=user.real_name if user else participant.display_name,
                               id_number=user.id_number if user else "", image=face_image or b"")
        if not result.matched:
            raise invalid(_("The face check did not match. Try again in good light."), RoomErrorCode.FACE)
        method = "otp+face"
    with transaction.atomic():
        otp_consume(verification=verification)
        room = Room.objects.select_related("case").get(pk=participant.room_id)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        participant.verified_at, participant.verification_method = timezone.now(), method
        participant.save(update_fields=["verified_at", "verification_method"])
        _append(room, entries.VERIFIED, participant.user, participant, method=method)
    return participant


@transaction.atomic
def room_verify_on_site(*, participant: Participant, actor) -> Participant:
    """Identity re-verified in person instead of by code: a shared-court point's staff checked the ID card and
    took a photo (workflows/sharedcourt, which checks that the actor is the point's staff). `room.verified` with
    method "on_site" and the staff member as actor, so the journal shows who vouched for whom."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.verified_at is None:
        room = Room.objects.select_related("case").get(pk=participant.room_id)
        participant.verified_at, participant.verification_method = timezone.now(), "on_site"
        participant.save(update_fields=["verified_at", "verification_method"])
        _append(room, entries.VERIFIED, actor, participant, method="on_site", for_user_id=participant.user_id)
    return participant


@transaction.atomic
def room_invitation_accept(*, token: str, user=None) -> Participant:
    """Use a one-time link: it opens its seat once (the session then carries the seat); a used, expired or
    unknown link is the same not-found."""
    invitation = (RoomInvitation.objects.select_for_update().select_related("participant", "room")
                  .filter(token_hash=RoomInvitation.hash(token or "")).first())
    now = timezone.now()
    if (invitation is None or invitation.used_at is not None or invitation.expires_at <= now
            or invitation.room.state == RoomState.CLOSED
            or invitation.participant.state == ParticipantState.REMOVED):
        from yunting.kernel.common.errors import NotFound

        raise NotFound(_("This invitation link is not valid (used, expired or unknown)."),
                       code=RoomErrorCode.INVITATION_INVALID)
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    participant = invitation.participant
    if user is not None and getattr(user, "is_authenticated", False) and participant.user_id is None:
        if not Participant.objects.filter(room_id=participant.room_id, user=user).exists():
            participant.user = user
            participant.save(update_fields=["user"])
    return participant


def _may_enter(participant: Participant) -> None:
    if participant.state == ParticipantState.REMOVED:
        raise bad_participant_state(participant.state)
    if participant.rules_acknowledged_at is None:
        from yunting.kernel.common.errors import PermissionDenied

        raise PermissionDenied(_("Read and acknowledge the courtroom rules first."), code=RoomErrorCode.RULES)
    if participant.verified_at is None and not participant.is_host:
        from yunting.kernel.common.errors import PermissionDenied

        raise PermissionDenied(_("Verify your identity first."), code=RoomErrorCode.NOT_VERIFIED)


@transaction.atomic
def participant_join(*, participant: Participant) -> Participant:
    """A socket connected. The host walks in; someone reconnecting after a dropped connection goes back where
    they were; everyone else waits in the lobby until admitted."""
    # the seat and its room in one locked read (the hot path of every connection)
    participant = (Participant.objects.select_for_update(of=("self", "room"))
                   .select_related("room", "room__case", "user").defer("user__id_number")
                   .filter(pk=participant.pk).first())
    if participant is None:
        raise RoomNotFound()
    return _join_locked(participant)


@transaction.atomic
def participant_enter(*, user, room_id, guest_participant_ids=()) -> Participant:
    """A socket connected: find the seat (selectors.room_seat_for) and join it in one locked read, instead of
    reading the seat and then reading it again under the lock (every connection takes this path).
    RoomNotFound when there is no seat to enter by."""
    from .selectors import room_seat_query

    participant = room_seat_query(user, room_id, guest_participant_ids=guest_participant_ids).select_for_update(
        of=("self", "room")).first()
    if participant is None:
        raise RoomNotFound()
    return _join_locked(participant)


def _join_locked(participant: Participant) -> Participant:
    room = participant.room
    _require_open(room)
    _may_enter(participant)
    was = participant.state
    rejoin = was == ParticipantState.DROPPED and participant.admitted_at is not None
    if participant.is_host or room.host_id == participant.user_id:
        state = ParticipantState.ADMITTED
    elif rejoin:
        state = ParticipantState.BREAKOUT if participant.breakout else ParticipantState.ADMITTED
    elif was in PRESENT_STATES:
        state = was  # a second tab of someone already inside
    else:
        state = ParticipantState.LOBBY
    participant.state, participant.joined_at = state, timezone.now()
    fields = ["state", "joined_at"]
    if state == ParticipantState.ADMITTED and participant.admitted_at is None:
        participant.admitted_at = participant.joined_at
        fields.append("admitted_at")
    participant.save(update_fields=fields)
    _append(room, entries.JOINED, participant.user, participant, state=state, rejoin=rejoin)
    return participant


def _departure(participant: Participant, state: str, kind: str) -> Participant:
    # the seat, its room and case and the person (the entry's actor) in one locked read
    participant = (Participant.objects.select_for_update(of=("self", "room"))
                   .select_related("room", "room__case", "user").defer("user__id_number")
                   .filter(pk=participant.pk, room_id=participant.room_id).first())
    if participant is None:
        raise RoomNotFound()
    room = participant.room
    if participant.state not in (*PRESENT_STATES, ParticipantState.LOBBY):
        return participant  # already out (removed, closed, or a second tab): nothing more to prove
    participant.state, participant.left_at = state, timezone.now()
    participant.save(update_fields=["state", "left_at"])
    _append(room, kind, participant.user, participant)
    return participant


@transaction.atomic
def participant_leave(*, participant: Participant) -> Participant:
    """Left on purpose (the leave button)."""
    return _departure(participant, ParticipantState.LEFT, entries.LEFT)


@transaction.atomic
def participant_drop(*, participant: Participant) -> Participant:
    """The connection was lost without leaving."""
    return _departure(participant, ParticipantState.DROPPED, entries.DROPPED)


QUALITY_KEYS = ("rtt_ms", "loss", "kbps", "jitter_ms", "fps")


def participant_quality(*, participant: Participant, stats: dict) -> dict:
    """Keep the latest network quality a browser reported (from RTCPeerConnection.getStats) for the host and the
    operations page. Numbers only; a level good/fair/poor is derived here, so every page agrees."""
    clean: dict[str, float] = {}
    for key in QUALITY_KEYS:
        value = stats.get(key) if isinstance(stats, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1e7:
            clean[key] = round(float(value), 2)
    rtt, loss = clean.get("rtt_ms", 0), clean.get("loss", 0)
    clean["level"] = "poor" if rtt > 400 or loss > 0.08 else "fair" if rtt > 150 or loss > 0.02 else "good"
    Participant.objects.filter(pk=participant.pk).update(quality=clean, quality_at=timezone.now())
    return clean


PARTY_SEATS = {"plaintiff": (Seat.PLAINTIFF, Seat.PLAINTIFF_AGENT), "defendant": (Seat.DEFENDANT, Seat.DEFENDANT_AGENT),
               "appellant": (Seat.PLAINTIFF, Seat.PLAINTIFF_AGENT), "appellee": (Seat.DEFENDANT, Seat.DEFENDANT_AGENT),
               "applicant": (Seat.APPLICANT, Seat.APPLICANT), "respondent": (Seat.RESPONDENT, Seat.RESPONDENT),
               "third_party": (Seat.THIRD_PARTY, Seat.THIRD_PARTY), "convict": (Seat.PRISONER, Seat.PRISONER)}
STAFF_SEATS = {"judge": Seat.JUDGE, "presiding_judge": Seat.JUDGE, "clerk": Seat.CLERK,
               "judge_assistant": Seat.JUDGE_ASSISTANT, "mediator": Seat.MEDIATOR, "procurator": Seat.PROCURATOR}


def seats_from_case(case, *, host) -> list[tuple[Any, str]]:
    """The seats a room of this case starts with: everyone who takes part in the case on an account, at the seat
    their role gives (a party's own seat, its lawyer as 代理人, the bench and the clerk); the host is seated
    separately by room_open."""
    out: dict[int, tuple[Any, str]] = {}
    for p in Participation.objects.filter(case=case).select_related("user", "party").order_by("id"):
        if p.user_id == host.pk or p.user_id in out:
            continue
        if p.role in ("party", "lawyer") and p.party is not None and p.party.role in PARTY_SEATS:
            own, agent = PARTY_SEATS[p.party.role]
            out[p.user_id] = (p.user, own if p.role == "party" else agent)
        elif p.role in STAFF_SEATS:
            out[p.user_id] = (p.user, STAFF_SEATS[p.role])
    return list(out.values())

"""Signalling for online rooms: /ws/rooms/{room_id}/ (see docs/ROOMS.md for every message type).

Isolation is by channel groups, not by filtering: a socket is in its own participant group always, in the room
group (or one breakout group) only while its participant is admitted there, and in the hosts group only if it is
a host. Room messages (chat, presence, offers) are sent to those groups only, so a lobby or removed socket cannot
receive them. What changes a participant's standing is a service call (core.rooms.services); the journal listener
at the bottom turns the committed entry into messages to the right groups, so acts made from a web page, the API
or another process reach the sockets the same way.
"""

from __future__ import annotations

import hashlib
import logging
import time
from urllib.parse import parse_qs

from asgiref.sync import SyncToAsync, async_to_sync, sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.rooms import services
from yunting.core.rooms.choices import PRESENT_STATES, ParticipantState
from yunting.core.rooms.errors import RoomNotFound
from yunting.core.rooms.models import Participant
from yunting.core.rooms.sdp import sdp_block_sending
from yunting.core.rooms.selectors import room_participants_present
from yunting.kernel.common.errors import ApplicationError

log = logging.getLogger(__name__)

GUEST_SESSION_KEY = "rooms_guest"  # participant ids opened in this browser session by invitation links
MAX_TEXT = 2000
MAX_SDP = 64 * 1024
QUALITY_EVERY = 5.0  # seconds between stored quality reports of one socket
# what only a present socket may ask for; "transcript" (the live transcript has its own socket, which a lobby seat
# is refused too) is listed so a lobby witness asking for it here is refused at the signalling level as well
ROOM_ONLY = frozenset({"chat", "participants", "subscribe", "offer", "answer", "candidate", "media_state",
                       "transcript"})
CONTROL_ACTIONS = frozenset({"admit", "mute", "unmute", "camera_off", "camera_on", "remove", "start", "pause",
                             "resume", "close", "breakout", "return"})


def _keep_connection(fn):
    """Run `fn` for a socket in the one thread that does sockets' database work, keeping that thread's
    connection open between calls. channels' database_sync_to_async closes it after every call when
    CONN_MAX_AGE is 0 (the SQLite default): a signalling socket makes many small calls, and reopening SQLite
    (with a WAL checkpoint on each close) cost more than the work itself (docs/ROOMS.md, Performance)."""
    from django.db import connection

    def max_age():
        return connection.settings_dict.get("CONN_MAX_AGE")

    def run(*args, **kwargs):
        # a persistent connection (CONN_MAX_AGE > 0, PostgreSQL) still ages out and is health-checked here, as
        # channels' close_old_connections would do, since RoomConsumer.dispatch no longer calls that
        if connection.connection is not None and max_age():
            connection.close_if_unusable_or_obsolete()
        try:
            return fn(*args, **kwargs)
        finally:
            if connection.errors_occurred or connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            if connection.connection is not None and connection.vendor == "sqlite" and not max_age():
                # not aged out by the next close_old_connections either (channels' AuthMiddleware runs one for
                # every socket that connects): reopening SQLite per join cost more than the join's queries.
                # A broken connection is still closed (errors_occurred is checked first there).
                connection.close_at = None

    return sync_to_async(run, thread_sensitive=True)


database_sync_to_async = _keep_connection


# --- groups ----------------------------------------------------------------------------------------------------

def room_group(room_id: int, space: str = "") -> str:
    """The main room, or one breakout ("space") of it."""
    if not space:
        return f"room-{room_id}"
    return f"room-{room_id}-b-{hashlib.sha256(space.encode()).hexdigest()[:16]}"


def participant_group(room_id: int, participant_id: int) -> str:
    return f"room-{room_id}-p-{participant_id}"


def hosts_group(room_id: int) -> str:
    return f"room-{room_id}-hosts"


def summary(p: Participant, *, for_host: bool = False) -> dict:
    out = {"id": p.pk, "seat": p.seat, "seat_label": p.get_seat_display(), "name": p.display_name,
           "state": p.state, "host": p.is_host, "muted": p.muted_audio, "camera_off": p.camera_off}
    if for_host:
        out.update(breakout=p.breakout, quality=p.quality, verified=p.verified_at is not None)
    return out


# --- the consumer ----------------------------------------------------------------------------------------------

def _enter(user, raw_token: str, room_id, guest_ids):
    """("refused", close code, None) | ("error", ApplicationError, None) | ("joined", participant, roster|None)."""
    if raw_token:
        from yunting.interfaces.api.auth import token_authenticate

        token = token_authenticate(raw_token)
        if token is None:
            return "refused", 4401, None
        user = token.user
    try:
        participant = services.participant_enter(user=user, room_id=room_id, guest_participant_ids=guest_ids)
    except RoomNotFound:
        return "refused", 4404, None
    except ApplicationError as exc:
        return "error", exc, None
    roster = _roster(participant, participant.breakout, participant.is_host) if participant.state in PRESENT_STATES else None
    return "joined", participant, roster


def _roster(participant: Participant, space: str, is_host: bool) -> dict:
    room = participant.room_id
    if is_host:
        everyone = list(Participant.objects.filter(room_id=room).order_by("-is_host", "id"))
        return {"type": "participants", "participants": [summary(p, for_host=True) for p in everyone
                                                         if p.state in PRESENT_STATES],
                "lobby": [summary(p, for_host=True) for p in everyone if p.state == ParticipantState.LOBBY]}
    return {"type": "participants", "participants": [summary(p) for p in room_participants_present(room, breakout=space)]}


class RoomConsumer(AsyncJsonWebsocketConsumer):
    participant: Participant | None = None
    joined = False
    gone = False  # left, removed, closed or superseded: the disconnect is not a drop

    async def dispatch(self, message):
        """channels' dispatch first sends close_old_connections to the one database thread for EVERY message,
        group messages included (each `joined`/`roster_changed` to each socket): a queue slot per message, and
        with SQLite (CONN_MAX_AGE 0) a close and reopen of the database. The socket's own database calls keep
        their connection healthy instead (_keep_connection); the handlers that touch the database go through it."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.room_id = self.scope["url_route"]["kwargs"]["room_id"]
        raw = parse_qs(self.scope.get("query_string", b"").decode()).get("token", [""])[0]
        session = self.scope.get("session")
        guest_ids = list(session.get(GUEST_SESSION_KEY, [])) if session is not None else []
        # one trip to the database for the whole entry: who, which seat, the join itself and the roster
        outcome, value, roster = await database_sync_to_async(_enter)(
            self.scope.get("user"), raw, self.room_id, guest_ids)
        if outcome == "refused":
            await self.close(code=value)
            return
        await self.accept()
        if outcome == "error":
            await self.send_json({"type": "error", "code": value.code, "message": str(value.message)})
            await self.close(code=4403)
            return
        self.participant = p = value
        self.joined, self.is_host = True, p.is_host
        self.state, self.space = p.state, p.breakout
        self.muted, self.camera_off = p.muted_audio, p.camera_off
        self.last_quality = 0.0
        # one live socket per seat: an older tab of the same seat is told to go quietly
        await self.channel_layer.group_send(participant_group(self.room_id, p.pk),
                                            {"type": "rooms.superseded", "by": self.channel_name})
        await self.channel_layer.group_add(participant_group(self.room_id, p.pk), self.channel_name)
        if self.is_host:
            await self.channel_layer.group_add(hosts_group(self.room_id), self.channel_name)
        if self.state in PRESENT_STATES:
            await self._enter_space(self.space, roster=roster)
        else:
            await self.send_json({"type": "lobby", "me": self._me()})

    def _me(self) -> dict:
        p = self.participant
        return {"id": p.pk, "seat": p.seat, "seat_label": p.get_seat_display(), "name": p.display_name,
                "host": self.is_host, "muted": self.muted, "camera_off": self.camera_off}

    async def _enter_space(self, space: str, *, roster: dict | None = None) -> None:
        self.space = space
        await self.channel_layer.group_add(room_group(self.room_id, space), self.channel_name)
        if roster is None:
            roster = await database_sync_to_async(_roster)(self.participant, space, self.is_host)
        await self.send_json({"type": "welcome", "me": self._me(), "space": space,
                              "ice_servers": settings.ROOMS_ICE_SERVERS, "participants": roster["participants"],
                              **({"lobby": roster["lobby"]} if self.is_host else {})})

    async def _leave_space(self) -> None:
        await self.channel_layer.group_discard(room_group(self.room_id, self.space), self.channel_name)

    async def disconnect(self, code):
        if self.participant is None:
            return
        pid = self.participant.pk
        await self.channel_layer.group_discard(participant_group(self.room_id, pid), self.channel_name)
        await self.channel_layer.group_discard(hosts_group(self.room_id), self.channel_name)
        await self._leave_space()
        if self.joined and not self.gone:
            await database_sync_to_async(services.participant_drop)(participant=self.participant)

    # --- from the browser -----------------------------------------------------------------------------------
    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or self.participant is None:
            return
        kind = content.get("type")
        present = self.state in PRESENT_STATES
        if kind == "control":
            if not (present and self.is_host):
                await self.send_json({"type": "error", "code": "not_admitted" if not present else "room_not_host"})
                return
            await self._control(content)
            return
        if kind in ROOM_ONLY and not present:
            await self.send_json({"type": "error", "code": "not_admitted"})
            return
        handler = getattr(self, f"_on_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            if kind == "ping":
                await self.send_json({"type": "pong"})
            else:
                await self.send_json({"type": "error", "code": "unknown_type"})
            return
        await handler(content)

    async def _on_chat(self, content):
        text = str(content.get("text") or "").strip()[:MAX_TEXT]
        if not text:
            return
        await self.channel_layer.group_send(room_group(self.room_id, self.space), {"type": "rooms.relay", "msg": {
            "type": "chat", "from": self.participant.pk, "seat": self.participant.get_seat_display(),
            "name": self.participant.display_name, "text": text, "at": timezone.now().isoformat()}})

    async def _on_participants(self, content):
        roster = await database_sync_to_async(_roster)(self.participant, self.space, self.is_host)
        await self.send_json(roster)

    async def _signal(self, content, kind: str):
        to = content.get("to")
        if not isinstance(to, int) or to == self.participant.pk:
            await self.send_json({"type": "error", "code": "bad_target"})
            return
        msg: dict = {"type": kind, "from": self.participant.pk}
        if kind in ("offer", "answer"):
            sdp = content.get("sdp")
            if not isinstance(sdp, str) or len(sdp) > MAX_SDP:
                await self.send_json({"type": "error", "code": "bad_sdp"})
                return
            if self.muted or self.camera_off:
                sdp = sdp_block_sending(sdp, audio=self.muted, video=self.camera_off)
            msg["sdp"] = sdp
        elif kind == "candidate":
            candidate = content.get("candidate")
            if candidate is not None and (not isinstance(candidate, dict) or len(str(candidate)) > 4096):
                return
            msg["candidate"] = candidate
        await self.channel_layer.group_send(participant_group(self.room_id, to), {
            "type": "rooms.signal", "space": self.space, "msg": msg})

    async def _on_offer(self, content):
        await self._signal(content, "offer")

    async def _on_answer(self, content):
        await self._signal(content, "answer")

    async def _on_candidate(self, content):
        await self._signal(content, "candidate")

    async def _on_subscribe(self, content):
        """Ask one peer to (re)send its offer, or without "to", get the roster and ICE servers again."""
        if "to" in content:
            await self._signal(content, "subscribe")
            return
        await self._enter_space(self.space)

    async def _on_quality(self, content):
        now = time.monotonic()
        if now - self.last_quality < QUALITY_EVERY or self.state not in PRESENT_STATES:
            return
        self.last_quality = now
        quality = await database_sync_to_async(services.participant_quality)(
            participant=self.participant, stats=content.get("stats") or {})
        await self.channel_layer.group_send(hosts_group(self.room_id), {"type": "rooms.relay", "msg": {
            "type": "quality", "participant_id": self.participant.pk, "quality": quality}})

    async def _on_leave(self, content):
        self.gone = True
        await database_sync_to_async(services.participant_leave)(participant=self.participant)
        await self.close(code=1000)

    async def _control(self, content):
        action = content.get("action")
        if action not in CONTROL_ACTIONS:
            await self.send_json({"type": "error", "code": "unknown_action"})
            return
        try:
            await database_sync_to_async(_apply_control)(self.participant, self.scope_user(), content)
        except ApplicationError as exc:
            await self.send_json({"type": "error", "code": exc.code, "message": str(exc.message)})

    def scope_user(self):
        return self.participant.user

    # --- from the server (group messages) -----------------------------------------------------------------
    async def rooms_relay(self, event):
        """A room message for whoever is in the group this socket is in (chat, presence, quality)."""
        if self.state in PRESENT_STATES:
            await self.send_json(event["msg"])

    async def rooms_signal(self, event):
        # both ends must be in the same space: an offer never crosses from the main room into a breakout
        if self.state in PRESENT_STATES and event["space"] == self.space:
            await self.send_json(event["msg"])

    async def rooms_superseded(self, event):
        if event["by"] != self.channel_name:
            self.gone = True
            await self.send_json({"type": "superseded"})
            await self.close(code=4409)

    async def rooms_admitted(self, event):
        self.state = ParticipantState.ADMITTED
        await self._enter_space("", roster=event.get("roster"))

    async def rooms_moved(self, event):
        await self._leave_space()
        self.state = ParticipantState.BREAKOUT if event["space"] else ParticipantState.ADMITTED
        await self._enter_space(event["space"])

    async def rooms_lobbied(self, event):
        """Sent back to the lobby: out of the room group first, then told (nothing of the room follows)."""
        await self._leave_space()
        self.state, self.space = ParticipantState.LOBBY, ""
        await self.send_json({"type": "lobby", "me": self._me()})

    async def rooms_control(self, event):
        if "muted" in event:
            self.muted = event["muted"]
            await self.send_json({"type": "control", "action": "mute" if self.muted else "unmute"})
        if "camera_off" in event:
            self.camera_off = event["camera_off"]
            await self.send_json({"type": "control", "action": "camera_off" if self.camera_off else "camera_on"})

    async def rooms_state(self, event):
        if self.state in PRESENT_STATES:
            await self.send_json({"type": "room_state", "state": event["state"]})

    async def rooms_removed(self, event):
        self.gone, self.state = True, ParticipantState.REMOVED
        await self._leave_space()
        await self.send_json({"type": "removed", "reason": event.get("reason", "")})
        await self.close(code=4403)

    async def rooms_closed(self, event):
        self.gone, self.state = True, ParticipantState.LEFT
        await self._leave_space()
        await self.send_json({"type": "closed"})
        await self.close(code=4000)


def _apply_control(host: Participant, actor, content: dict) -> None:
    room = host.room
    action = content["action"]
    if action in ("start", "pause", "resume", "close"):
        {"start": lambda: services.room_start(room=room, actor=actor),
         "pause": lambda: services.room_pause(room=room, actor=actor),
         "resume": lambda: services.room_resume(room=room, actor=actor),
         "close": lambda: services.room_close(room, actor=actor)}[action]()
        return
    target = Participant.objects.filter(room=room, pk=content.get("participant_id") if isinstance(
        content.get("participant_id"), int) else 0).first()
    if target is None:
        raise ApplicationError(_("No such participant."), code="room_participant_not_found")
    if action == "admit":
        services.room_admit(room, target, actor=actor)
    elif action in ("mute", "unmute"):
        services.room_mute(room=room, participant=target, actor=actor, muted=action == "mute")
    elif action in ("camera_off", "camera_on"):
        services.room_camera(room=room, participant=target, actor=actor, off=action == "camera_off")
    elif action == "remove":
        services.room_remove(room, target, str(content.get("reason") or ""), actor=actor)
    elif action == "breakout":
        services.room_breakout(room=room, participant=target, actor=actor, name=str(content.get("name") or "caucus"))
    elif action == "return":
        services.room_return(room=room, participant=target, actor=actor)


# --- journal listener: committed room acts → socket messages ------------------------------------------------------

_deliveries: set = set()


def room_entry_listener(entry) -> None:
    if not entry.kind.startswith("room."):
        return
    from .consumers import _nobody_can_listen

    layer = get_channel_layer()
    if layer is None or _nobody_can_listen(layer):
        return
    payload = entry.payload or {}
    room_id = payload.get("room_id")
    if room_id is None:
        return
    messages = list(_messages(entry.kind, room_id, payload))
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is not None and loop.is_running():
        # Under the ASGI server: hand the sends to its event loop and return, instead of holding the one thread
        # that does every socket's database work until the loop gets round to them. One coroutine per entry
        # keeps that entry's messages in order; entries are handed over in commit order.
        async def deliver():
            for group, message in messages:
                await layer.group_send(group, message)

        def start():
            task = loop.create_task(deliver())
            _deliveries.add(task)  # the loop keeps only a weak reference to a task
            task.add_done_callback(_deliveries.discard)

        loop.call_soon_threadsafe(start)
        return
    for group, message in messages:
        async_to_sync(layer.group_send)(group, message)


def _relay(msg: dict) -> dict:
    return {"type": "rooms.relay", "msg": msg}


def _messages(kind: str, room_id: int, payload: dict):
    pid = payload.get("participant_id")
    hosts = hosts_group(room_id)
    roster_changed = (hosts, _relay({"type": "roster_changed"}))
    p = Participant.objects.filter(pk=pid).first() if pid else None
    if kind == "room.joined" and p is not None:
        if payload.get("state") in PRESENT_STATES:
            yield room_group(room_id, p.breakout), _relay({"type": "joined", "participant": summary(p)})
        else:
            yield hosts, _relay({"type": "knock", "participant": summary(p, for_host=True)})
        yield roster_changed
    elif kind == "room.admitted" and p is not None:
        yield room_group(room_id), _relay({"type": "joined", "participant": summary(p)})
        # the roster rides along: the admitted socket need not queue for the database again
        yield participant_group(room_id, p.pk), {"type": "rooms.admitted",
                                                 "roster": _roster(p, "", p.is_host)}
        yield roster_changed
    elif kind in ("room.left", "room.dropped") and p is not None:
        yield room_group(room_id, p.breakout), _relay({"type": "left", "participant_id": p.pk,
                                                       "dropped": kind == "room.dropped"})
        yield roster_changed
    elif kind == "room.removed" and p is not None:
        yield participant_group(room_id, p.pk), {"type": "rooms.removed", "reason": payload.get("reason", "")}
        yield room_group(room_id, p.breakout), _relay({"type": "left", "participant_id": p.pk, "removed": True})
        yield roster_changed
    elif kind == "room.sent_to_lobby" and p is not None:
        yield participant_group(room_id, p.pk), {"type": "rooms.lobbied"}
        yield room_group(room_id), _relay({"type": "left", "participant_id": p.pk, "lobby": True})
        yield roster_changed
    elif kind in ("room.muted", "room.camera") and p is not None:
        key = "muted" if kind == "room.muted" else "camera_off"
        yield participant_group(room_id, p.pk), {"type": "rooms.control", key: payload.get(key)}
        yield room_group(room_id, p.breakout), _relay({"type": "peer_state", "participant_id": p.pk,
                                                       "muted": p.muted_audio, "camera_off": p.camera_off})
    elif kind in ("room.breakout", "room.returned") and p is not None:
        old = "" if kind == "room.breakout" else payload.get("name", "")
        yield room_group(room_id, old), _relay({"type": "left", "participant_id": p.pk, "moved": True})
        yield participant_group(room_id, p.pk), {"type": "rooms.moved", "space": p.breakout}
        yield room_group(room_id, p.breakout), _relay({"type": "joined", "participant": summary(p)})
        yield roster_changed
    elif kind in ("room.started", "room.paused", "room.resumed"):
        state = {"room.started": "live", "room.paused": "paused", "room.resumed": "live"}[kind]
        for other in Participant.objects.filter(room_id=room_id, state__in=PRESENT_STATES).values_list("pk", flat=True):
            yield participant_group(room_id, other), {"type": "rooms.state", "state": state}
    elif kind == "room.closed":
        for other in Participant.objects.filter(room_id=room_id).exclude(
                state=ParticipantState.REMOVED).values_list("pk", flat=True):
            yield participant_group(room_id, other), {"type": "rooms.closed"}

"""Live transcript: /ws/hearings/{hearing_id}/transcript/ (the clerk's text, the stage, review news).

The same access rule as the room: a socket joins the hearing's transcript group only while its person may see the
transcript (court staff of the case; anyone else only while admitted in the hearing's room, or, from the review
on, a signer). A seated person still in the lobby gets a socket that receives nothing but "waiting"; when the
room admits, moves or removes them (a committed `room.*` entry), their sockets re-check and join or leave the
group, so a witness or party not admitted never receives a word of the transcript.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from asgiref.sync import SyncToAsync, async_to_sync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer

from yunting.kernel.common.errors import ApplicationError

from .rooms import database_sync_to_async

RECHECK_KINDS = frozenset({"room.admitted", "room.left", "room.dropped", "room.removed", "room.breakout",
                           "room.returned", "room.joined", "room.sent_to_lobby"})


def transcript_group(hearing_id: int) -> str:
    return f"transcript-{hearing_id}"


def transcript_user_group(hearing_id: int, user_id: int) -> str:
    return f"transcript-{hearing_id}-u-{user_id}"


def _user(scope):
    raw = parse_qs(scope.get("query_string", b"").decode()).get("token", [""])[0]
    if raw:
        from yunting.interfaces.api.auth import token_authenticate

        token = token_authenticate(raw)
        return token.user if token is not None else None
    return scope.get("user")


def _standing(user, hearing_id):
    """("in", snapshot) | ("waiting", None) for a seated person not admitted | ("out", None)."""
    from yunting.core.rooms.models import Participant
    from yunting.workflows.transcripts.errors import TranscriptNotFound
    from yunting.workflows.transcripts.selectors import (
        access_transcript_for,
        transcript_json,
        transcript_read_logged,
    )

    if user is None or not user.is_authenticated:
        return "out", None
    try:
        ta = access_transcript_for(user, hearing_id)
    except TranscriptNotFound:
        from yunting.workflows.hearings.models import Hearing

        room_id = Hearing.objects.filter(pk=hearing_id).values_list("room_id", flat=True).first()
        if room_id and Participant.objects.filter(room_id=room_id, user=user).exists():
            return "waiting", None
        return "out", None
    transcript_read_logged(ta, user, channel="ws")
    return "in", transcript_json(ta)


class TranscriptConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.hearing_id = self.scope["url_route"]["kwargs"]["hearing_id"]
        self.inside = False
        self.user = await database_sync_to_async(_user)(self.scope)
        state, snapshot = await database_sync_to_async(_standing)(self.user, self.hearing_id)
        if state == "out":
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(transcript_user_group(self.hearing_id, self.user.pk), self.channel_name)
        await self.accept()
        await self._apply(state, snapshot)

    async def _apply(self, state: str, snapshot: dict | None) -> None:
        if state == "in":
            if not self.inside:
                self.inside = True
                await self.channel_layer.group_add(transcript_group(self.hearing_id), self.channel_name)
            await self.send_json({"type": "snapshot", **snapshot})
            return
        if self.inside:
            self.inside = False
            await self.channel_layer.group_discard(transcript_group(self.hearing_id), self.channel_name)
        await self.send_json({"type": "waiting"})
        if state == "out":
            await self.close(code=4404)

    async def disconnect(self, code):
        if not hasattr(self, "hearing_id") or getattr(self, "user", None) is None:
            return
        await self.channel_layer.group_discard(transcript_group(self.hearing_id), self.channel_name)
        await self.channel_layer.group_discard(transcript_user_group(self.hearing_id, self.user.pk),
                                               self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        elif content.get("type") == "snapshot":
            state, snapshot = await database_sync_to_async(_standing)(self.user, self.hearing_id)
            await self._apply(state, snapshot)
        else:
            await self.send_json({"type": "error", "code": "unknown_type"})

    async def transcript_msg(self, event):
        if self.inside:  # the group is the guard; this keeps a socket mid-removal from one last message
            await self.send_json(event["msg"])

    async def transcript_recheck(self, event):
        try:
            state, snapshot = await database_sync_to_async(_standing)(self.user, self.hearing_id)
        except ApplicationError:
            state, snapshot = "out", None
        await self._apply(state, snapshot)


# --- sending (from the workflow's publisher and the journal listener) ---------------------------------------------
_sends: set = set()


def _send(group: str, message: dict) -> None:
    from .consumers import _nobody_can_listen

    layer = get_channel_layer()
    if layer is None or _nobody_can_listen(layer):
        return
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is not None and loop.is_running():
        def start():
            task = loop.create_task(layer.group_send(group, message))
            _sends.add(task)
            task.add_done_callback(_sends.discard)

        loop.call_soon_threadsafe(start)
        return
    async_to_sync(layer.group_send)(group, message)


def transcript_publish(hearing_id: int, message: dict) -> None:
    """Registered with workflows.transcripts.live: a message to everyone inside the hearing's transcript group."""
    _send(transcript_group(hearing_id), {"type": "transcript.msg", "msg": message})


def transcript_entry_listener(entry) -> None:
    """Room acts change who may see the live transcript; the judge's stage changes are shown to everyone."""
    payload = entry.payload or {}
    if entry.kind in RECHECK_KINDS or entry.kind == "room.closed":
        from yunting.core.rooms.models import Participant
        from yunting.workflows.hearings.models import Hearing

        room_id = payload.get("room_id")
        hearing_ids = list(Hearing.objects.filter(room_id=room_id).values_list("pk", flat=True)) if room_id else []
        if not hearing_ids:
            return
        if entry.kind == "room.closed":
            for hid in hearing_ids:
                _send(transcript_group(hid), {"type": "transcript.recheck"})
            return
        user_id = Participant.objects.filter(pk=payload.get("participant_id")).values_list("user_id", flat=True).first()
        if user_id:
            for hid in hearing_ids:
                _send(transcript_user_group(hid, user_id), {"type": "transcript.recheck"})
    elif entry.kind == "hearing.stage_set" and payload.get("hearing_id"):
        from yunting.workflows.hearings.models import Hearing
        from yunting.workflows.transcripts.services import stage_message

        hearing = Hearing.objects.filter(pk=payload["hearing_id"]).first()
        if hearing is not None:
            transcript_publish(hearing.pk, stage_message(hearing))

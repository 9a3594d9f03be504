"""Case spaces (案件空间): /ws/spaces/{space_id}/ (every message type in docs/ROOMS.md, "Case spaces").

Groups: `space-{id}` (every member's socket) and `space-{id}-u-{user id}` (one member's sockets: a card for some
users, a mute, a removal). Whether someone may speak is decided by the service for every message
(casespace.services.space_post: removed, muted, 全员禁言, the word filter), so a muted socket's message is stored
nowhere and sent to no one. What reaches the sockets comes from the journal listener at the bottom: every
committed post (`threads.item_posted` of a space) and moderation act (`casespace.*`), whichever process, page,
API call or subscriber made it.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from asgiref.sync import SyncToAsync, async_to_sync
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer

from yunting.kernel.common.errors import ApplicationError

from .rooms import _keep_connection

log = logging.getLogger(__name__)
database_sync_to_async = _keep_connection
MAX_TEXT = 2000


def space_group(space_id: int) -> str:
    return f"space-{space_id}"


def member_group(space_id: int, user_id: int) -> str:
    return f"space-{space_id}-u-{user_id}"


def _enter(user, raw_token: str, space_id):
    """("refused", close code) | ("ok", (space, member, welcome))."""
    from yunting.workflows.casespace.errors import SpaceNotFound
    from yunting.workflows.casespace.selectors import read_marks, space_get_for
    from yunting.workflows.casespace.services import member_muted

    if raw_token:
        from yunting.interfaces.api.auth import token_authenticate

        token = token_authenticate(raw_token)
        if token is None:
            return "refused", 4401
        user = token.user
    try:
        space, member = space_get_for(user, space_id, allow_removed=True)
    except SpaceNotFound:
        return "refused", 4404
    if member.removed_at is not None:
        return "refused", 4403
    from yunting.kernel.security.audit import read_log

    read_log(user=user, action="casespace.socket", channel="ws", case_id=space.lead_case_id, object_type="space",
             object_id=space.pk)
    pinned = space.pinned_item
    welcome = {"type": "welcome",
               "me": {"user_id": member.user_id, "name": member.label, "role": member.role,
                      "muted": member_muted(space, member), "moderator": member.moderator,
                      "court_side": member.court_side},
               "space": {"id": space.pk, "title": space.title, "all_muted": space.all_muted,
                         "pinned": {"id": pinned.pk, "text": pinned.text} if pinned else None},
               "reads": {str(k): v for k, v in read_marks(space).items()}}
    return "ok", (space, member, welcome)


def _post(space, user, text):
    from yunting.workflows.casespace.services import space_post

    space_post(space=space, user=user, text=text)


def _read(space, user, upto):
    from yunting.workflows.casespace.services import space_mark_read

    return space_mark_read(space=space, user=user, upto=upto)


class SpaceConsumer(AsyncJsonWebsocketConsumer):
    space = None
    member = None

    async def dispatch(self, message):
        """As RoomConsumer: no close_old_connections round trip per group message (a fan-out to 100 sockets)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.space_id = self.scope["url_route"]["kwargs"]["space_id"]
        raw = parse_qs(self.scope.get("query_string", b"").decode()).get("token", [""])[0]
        outcome, value = await database_sync_to_async(_enter)(self.scope.get("user"), raw, self.space_id)
        if outcome == "refused":
            await self.close(code=value)
            return
        self.space, self.member, welcome = value
        self.user = self.member.user
        await self.channel_layer.group_add(space_group(self.space_id), self.channel_name)
        await self.channel_layer.group_add(member_group(self.space_id, self.member.user_id), self.channel_name)
        await self.accept()
        await self.send_json(welcome)

    async def disconnect(self, code):
        if self.member is None:
            return
        await self.channel_layer.group_discard(space_group(self.space_id), self.channel_name)
        await self.channel_layer.group_discard(member_group(self.space_id, self.member.user_id), self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or self.member is None:
            return
        kind = content.get("type")
        if kind == "message":
            text = content.get("text")
            if not isinstance(text, str) or len(text) > MAX_TEXT:
                await self.send_json({"type": "error", "code": "bad_text"})
                return
            try:
                await database_sync_to_async(_post)(self.space, self.user, text)
            except ApplicationError as exc:
                await self.send_json({"type": "error", "code": exc.code, "message": str(exc.message)})
                if exc.code == "space_removed":
                    await self.close(code=4403)
        elif kind == "read":
            upto = content.get("upto")
            if not isinstance(upto, int) or upto < 0:
                await self.send_json({"type": "error", "code": "bad_upto"})
                return
            upto = await database_sync_to_async(_read)(self.space, self.user, upto)
            await self.channel_layer.group_send(space_group(self.space_id), {
                "type": "space.relay", "msg": {"type": "read", "user_id": self.member.user_id, "upto": upto}})
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "code": "unknown_type"})

    # --- from the server ---------------------------------------------------------------------------------------
    async def space_relay(self, event):
        if self.member is not None:  # nothing more after a removal closed the socket
            await self.send_json(event["msg"])

    async def space_removed(self, event):
        self.member = None
        await self.channel_layer.group_discard(space_group(self.space_id), self.channel_name)
        await self.channel_layer.group_discard(member_group(self.space_id, event["user_id"]), self.channel_name)
        await self.send_json({"type": "removed", "reason": event.get("reason", "")})
        await self.close(code=4403)


# --- journal listener: committed posts and moderation acts → socket messages ----------------------------------------

_deliveries: set = set()


def space_entry_listener(entry) -> None:
    kind = entry.kind
    payload = entry.payload or {}
    if not (kind.startswith("casespace.") or (kind == "threads.item_posted" and payload.get("purpose") == "casespace")):
        return
    from .consumers import _nobody_can_listen

    layer = get_channel_layer()
    if layer is None or _nobody_can_listen(layer):
        return
    messages = list(_messages(entry))
    if not messages:
        return
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is not None and loop.is_running():
        async def deliver():
            for group, message in messages:
                await layer.group_send(group, message)

        def start():
            task = loop.create_task(deliver())
            _deliveries.add(task)
            task.add_done_callback(_deliveries.discard)

        loop.call_soon_threadsafe(start)
        return
    for group, message in messages:
        async_to_sync(layer.group_send)(group, message)


def _relay(msg: dict) -> dict:
    return {"type": "space.relay", "msg": msg}


def _messages(entry):
    from yunting.core.threads.models import Item
    from yunting.workflows.casespace import entries
    from yunting.workflows.casespace.models import Attachment, Member, Space
    from yunting.workflows.casespace.selectors import item_message

    payload = entry.payload or {}
    if entry.kind == "threads.item_posted":
        item = Item.objects.filter(entry=entry).first()
        space = Space.objects.filter(thread_id=payload.get("thread")).only("pk").first()
        if item is None or space is None:
            return
        att = Attachment.objects.filter(item=item).first() if item.kind in ("voice", "file") else None
        msg = _relay(item_message(item, att))
        ids = (item.data or {}).get("user_ids") if item.kind == "card" else None
        if ids is None:
            yield space_group(space.pk), msg
            return
        court = set(Member.objects.filter(space=space, role__in=["judge", "assistant", "clerk"])
                    .values_list("user_id", flat=True))
        for uid in sorted(set(ids) | court):
            yield member_group(space.pk, uid), msg
        return
    space_id, user_id = payload.get("space_id"), payload.get("user_id")
    if space_id is None:
        return
    if entry.kind == entries.MEMBER_REMOVED:
        yield member_group(space_id, user_id), {"type": "space.removed", "user_id": user_id,
                                                "reason": payload.get("reason", "")}
        yield space_group(space_id), _relay({"type": "member", "user_id": user_id, "removed": True})
    elif entry.kind == entries.MEMBER_MUTED:
        yield space_group(space_id), _relay({"type": "member", "user_id": user_id, "muted": True,
                                             "until": payload.get("until"), "reason": payload.get("reason", "")})
    elif entry.kind == entries.MEMBER_UNMUTED:
        yield space_group(space_id), _relay({"type": "member", "user_id": user_id, "muted": False})
    elif entry.kind == entries.ALL_MUTED:
        yield space_group(space_id), _relay({"type": "all_muted", "muted": payload.get("muted"),
                                             "reason": payload.get("reason", "")})

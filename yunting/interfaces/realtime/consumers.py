import asyncio

from asgiref.sync import SyncToAsync, async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import InMemoryChannelLayer, get_channel_layer

from yunting.core.cases.access import access_case_for
from yunting.core.cases.errors import CaseNotFound


def case_group(case_id: int) -> str:
    return f"case-{case_id}"


class CaseFeedConsumer(AsyncJsonWebsocketConsumer):
    """Pushes a case's new journal entries to everyone who may see the case and has it open."""

    async def connect(self):
        self.case_id = self.scope["url_route"]["kwargs"]["case_id"]
        try:
            await database_sync_to_async(access_case_for)(self.scope.get("user"), self.case_id)
        except CaseNotFound:
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(case_group(self.case_id), self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "case_id"):
            await self.channel_layer.group_discard(case_group(self.case_id), self.channel_name)

    async def journal_entry(self, event):
        await self.send_json(event["entry"])


def _nobody_can_listen(layer) -> bool:
    """An in-memory layer only reaches sockets of this process, and those exist only under the ASGI server's
    event loop; outside it (CLI, jobs, benchmarks) a send would spin up an event loop for no one."""
    return isinstance(layer, InMemoryChannelLayer) and getattr(SyncToAsync.threadlocal, "main_event_loop", None) is None


def _message(entry) -> dict:
    return {"type": "journal.entry", "entry": {"seq": entry.seq, "kind": entry.kind, "actor": entry.actor_label,
                                               "recorded_at": entry.recorded_at.isoformat()}}


def broadcast_entry(entry) -> None:
    """Journal listener (all kinds): tell open case pages about the new entry."""
    layer = get_channel_layer()
    if layer is None or _nobody_can_listen(layer):
        return
    group, message = case_group(entry.case_id), _message(entry)
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is not None and loop.is_running():
        # Under the ASGI server: hand the send to its event loop instead of holding the one thread that does
        # every socket's database work until the loop has run it (rooms: two entries per join and drop).
        def start():
            task = loop.create_task(layer.group_send(group, message))
            _sends.add(task)  # the loop keeps only a weak reference to a task
            task.add_done_callback(_sends.discard)

        loop.call_soon_threadsafe(start)
        return
    async_to_sync(layer.group_send)(group, message)


_sends: set = set()


def broadcast_entries(entries) -> None:
    """The bulk form (journal_append_many): every entry's message from one event loop, the sends concurrent,
    instead of a thread and an event loop per entry (which was three quarters of opening 1,000 cases)."""
    layer = get_channel_layer()
    if layer is None or _nobody_can_listen(layer):
        return

    per_case: dict[int, list] = {}
    for e in entries:
        per_case.setdefault(e.case_id, []).append(e)

    async def send_case(case_entries):  # one case's entries in their order; cases side by side
        for e in case_entries:
            await layer.group_send(case_group(e.case_id), _message(e))

    async def send_all():
        cases = list(per_case.values())
        for start in range(0, len(cases), 100):
            await asyncio.gather(*(send_case(c) for c in cases[start:start + 100]))

    async_to_sync(send_all)()

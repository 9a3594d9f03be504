"""Live transcript over the real ASGI application and channel layer: the clerk's words reach the people admitted
to the hearing's room, and nobody else — not a party waiting in the lobby, not an outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing.websocket import WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)


def token(user):
    from yunting.interfaces.api.models import ApiToken

    return ApiToken.issue(user=user, name="ws")[1]


def socket(hearing, raw):
    from config.asgi import application

    return WebsocketCommunicator(application, f"/ws/hearings/{hearing.pk}/transcript/?token={raw}",
                                 headers=[(b"origin", b"http://testserver")])


async def until(ws, kind, timeout=5):
    while True:
        msg = await ws.receive_json_from(timeout=timeout)
        if msg["type"] == kind:
            return msg


@pytest.fixture
def in_lobby(seat):
    """Verified and connected, waiting in the lobby (not admitted)."""
    from django.utils import timezone

    from yunting.core.rooms import services as s
    from yunting.kernel.notify.models import OutboxMessage, PhoneVerification

    def make(user):
        p = seat(user)
        s.room_acknowledge_rules(participant=p)
        s.room_verify_request(participant=p)
        body = OutboxMessage.objects.filter(purpose__startswith="otp:room").order_by("-id").first().body
        s.room_verify(participant=p, code=__import__("re").search(r"\d{6}", body).group(0))
        PhoneVerification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        return s.participant_join(participant=seat(user))

    return make


def test_the_clerks_words_reach_admitted_participants_only(hearing, users, admitted, in_lobby, seat):
    from yunting.core.rooms.services import room_admit, room_remove
    from yunting.workflows.transcripts import services
    from yunting.workflows.transcripts.selectors import access_transcript_for

    admitted(users["judge"])
    admitted(users["plaintiff"])
    lobby_seat = in_lobby(users["defendant"])
    assert lobby_seat.state == "lobby"
    clerk = users["clerk"]
    services.transcript_open(ta=access_transcript_for(clerk, hearing.pk), actor=clerk)
    raw = {u: token(users[u]) for u in ("plaintiff", "defendant", "lawyer", "clerk")}
    plaintiff_seat = seat(users["plaintiff"])

    def save(text):
        ta = access_transcript_for(clerk, hearing.pk)
        services.transcript_save(ta=ta, actor=clerk, text=text, base_revision=ta.transcript.revision)

    async def run():
        outsider = socket(hearing, raw["lawyer"])
        ok, code = await outsider.connect()
        assert not ok or code == 4404  # not on this hearing: refused, nothing sent
        party = socket(hearing, raw["plaintiff"])
        assert (await party.connect())[0]
        first = await until(party, "snapshot")
        assert first["text"] == "" and first["stage"]["value"] == ""
        waiting = socket(hearing, raw["defendant"])
        assert (await waiting.connect())[0]
        assert await waiting.receive_json_from(timeout=5) == {"type": "waiting"}

        await sync_to_async(save)("审判员：现在开庭。\n")
        update = await until(party, "transcript")
        assert update["text"] == "审判员：现在开庭。\n" and update["revision"] == 1
        assert await waiting.receive_nothing(timeout=0.5)  # the lobby hears nothing

        # admitted by the judge: the waiting socket joins and gets the text so far
        await sync_to_async(room_admit)(hearing.room, lobby_seat, actor=users["judge"])
        snap = await until(waiting, "snapshot")
        assert snap["text"] == "审判员：现在开庭。\n"
        # removed: the socket is told and closed, and later words do not reach it
        await sync_to_async(room_remove)(hearing.room, plaintiff_seat, "扰乱法庭秩序",
                                         actor=users["judge"])
        assert (await until(party, "waiting"))["type"] == "waiting"
        await sync_to_async(save)("审判员：现在开庭。\n原告被责令退出。\n")
        assert (await until(waiting, "transcript"))["text"].endswith("原告被责令退出。\n")
        left = []
        while not await party.receive_nothing(timeout=0.3):
            msg = await party.receive_output(timeout=1)
            left.append(msg)
        assert all(m.get("type") != "websocket.send" or "原告被责令退出" not in (m.get("text") or "")
                   for m in left)
        await waiting.disconnect()

    async_to_sync(run)()

"""Isolation and control at the signalling level, through the real ASGI application and channel layer."""

import contextlib

import pytest
from asgiref.sync import async_to_sync
from channels.testing.websocket import WebsocketCommunicator

from yunting.core.journal.models import JournalEntry
from yunting.core.rooms.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)

AUDIO_VIDEO_OFFER = "\r\n".join([
    "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=mid:0", "a=sendrecv", "a=rtpmap:111 opus/48000/2",
    "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:1", "a=sendrecv", "a=rtpmap:96 VP8/90000", ""])


def token(user):
    from yunting.interfaces.api.models import ApiToken

    return ApiToken.issue(user=user, name="ws")[1]


def app():
    from config.asgi import application

    return application


def socket(room, raw):
    return WebsocketCommunicator(app(), f"/ws/rooms/{room.pk}/?token={raw}", headers=[(b"origin", b"http://testserver")])


async def connect(room, raw):
    ws = socket(room, raw)
    ok, _ = await ws.connect()
    assert ok
    return ws


async def until(ws, kind, timeout=5):
    """Next message of this type (skipping others); fails when none comes."""
    while True:
        msg = await ws.receive_json_from(timeout=timeout)
        if msg["type"] == kind:
            return msg


async def drain(ws, wait=0.3):
    out = []
    while not await ws.receive_nothing(timeout=wait):
        out.append(await ws.receive_json_from())
    return out


@pytest.fixture
def session(hearing, users, ready):
    judge, plaintiff, defendant = (ready(hearing, users[u]) for u in ("judge", "plaintiff", "defendant"))
    return {"room": hearing, "judge": judge, "plaintiff": plaintiff, "defendant": defendant,
            "tokens": {u: token(users[u]) for u in ("judge", "plaintiff", "defendant", "clerk")}}


def test_lobby_socket_gets_not_admitted_and_nothing_of_the_room(session):
    room, t, pid = session["room"], session["tokens"], session["plaintiff"].pk

    async def run():
        judge = await connect(room, t["judge"])
        welcome = await until(judge, "welcome")
        assert welcome["me"]["seat"] == "presiding_judge"
        lobby = await connect(room, t["plaintiff"])
        assert (await lobby.receive_json_from(timeout=3))["type"] == "lobby"
        knock = await until(judge, "knock")
        assert knock["participant"]["id"] == pid
        for kind in ("subscribe", "offer", "chat", "participants"):
            await lobby.send_json_to({"type": kind, "text": "hi", "to": session["judge"].pk, "sdp": AUDIO_VIDEO_OFFER})
            assert await lobby.receive_json_from(timeout=3) == {"type": "error", "code": "not_admitted"}
            assert await lobby.receive_nothing(timeout=0.2)
        # the room goes on: chat, an offer aimed at the lobby seat, presence of another party
        await judge.send_json_to({"type": "chat", "text": "法庭纪律：请保持安静"})
        await judge.send_json_to({"type": "offer", "to": pid, "sdp": AUDIO_VIDEO_OFFER})
        defendant = await connect(room, t["defendant"])
        await until(defendant, "lobby")
        await judge.send_json_to({"type": "control", "action": "admit", "participant_id": session["defendant"].pk})
        await until(defendant, "welcome")
        await defendant.send_json_to({"type": "chat", "text": "被告到庭"})
        assert await drain(lobby, 0.5) == []
        # once admitted, the room reaches the socket
        await judge.send_json_to({"type": "control", "action": "admit", "participant_id": pid})
        welcome = await until(lobby, "welcome")
        assert {p["seat"] for p in welcome["participants"]} == {"presiding_judge", "defendant", "plaintiff"}
        await judge.send_json_to({"type": "chat", "text": "现在开庭"})
        assert (await until(lobby, "chat"))["text"] == "现在开庭"
        for ws in (judge, lobby, defendant):
            await ws.disconnect()

    async_to_sync(run)()


def test_removed_socket_is_closed_gets_nothing_and_cannot_come_back(session):
    room, t, did = session["room"], session["tokens"], session["defendant"].pk

    async def run():
        judge = await connect(room, t["judge"])
        defendant = await connect(room, t["defendant"])
        await judge.send_json_to({"type": "control", "action": "admit", "participant_id": did})
        await until(defendant, "welcome")
        await judge.send_json_to({"type": "control", "action": "remove", "participant_id": did,
                                  "reason": "多次扰乱法庭秩序"})
        removed = await until(defendant, "removed")
        assert removed["reason"] == "多次扰乱法庭秩序"
        assert (await defendant.receive_output(timeout=3))["type"] == "websocket.close"
        left = await until(judge, "left")
        assert left == {"type": "left", "participant_id": did, "removed": True}
        again = socket(room, t["defendant"])
        ok, code = await again.connect()
        assert not ok and code == 4404
        await judge.disconnect()

    async_to_sync(run)()
    assert Participant.objects.get(pk=did).state == "removed"


def test_mute_is_enforced_in_the_negotiation(session):
    room, t, pid, jid = session["room"], session["tokens"], session["plaintiff"].pk, session["judge"].pk

    async def run():
        judge = await connect(room, t["judge"])
        party = await connect(room, t["plaintiff"])
        await judge.send_json_to({"type": "control", "action": "admit", "participant_id": pid})
        await until(party, "welcome")
        await party.send_json_to({"type": "offer", "to": jid, "sdp": AUDIO_VIDEO_OFFER})
        assert "a=sendrecv" in (await until(judge, "offer"))["sdp"].split("m=video")[0]
        await judge.send_json_to({"type": "control", "action": "mute", "participant_id": pid})
        assert await until(party, "control") == {"type": "control", "action": "mute"}
        state = await until(judge, "peer_state")
        assert state == {"type": "peer_state", "participant_id": pid, "muted": True, "camera_off": False}
        # a client that ignores the mute and still offers audio: the server relays an offer that sends none
        await party.send_json_to({"type": "offer", "to": jid, "sdp": AUDIO_VIDEO_OFFER})
        audio, video = (await until(judge, "offer"))["sdp"].split("m=video")
        assert "a=recvonly" in audio and "a=sendrecv" not in audio
        assert "a=sendrecv" in video
        # and its answers to the others' offers likewise
        await judge.send_json_to({"type": "offer", "to": pid, "sdp": AUDIO_VIDEO_OFFER})
        await until(party, "offer")
        await party.send_json_to({"type": "answer", "to": jid, "sdp": AUDIO_VIDEO_OFFER})
        assert "a=sendrecv" not in (await until(judge, "answer"))["sdp"].split("m=video")[0]
        await judge.send_json_to({"type": "control", "action": "unmute", "participant_id": pid})
        assert await until(party, "control") == {"type": "control", "action": "unmute"}
        await party.send_json_to({"type": "offer", "to": jid, "sdp": AUDIO_VIDEO_OFFER})
        assert "a=sendrecv" in (await until(judge, "offer"))["sdp"].split("m=video")[0]
        # a party cannot use the host's controls
        await party.send_json_to({"type": "control", "action": "mute", "participant_id": jid})
        assert (await until(party, "error"))["code"] == "room_not_host"
        for ws in (judge, party):
            await ws.disconnect()

    async_to_sync(run)()
    assert [e.payload["muted"] for e in JournalEntry.objects.filter(kind="room.muted").order_by("seq")] == [True, False]


def test_journal_trail_of_a_session_through_sockets(session):
    room, t, pid = session["room"], session["tokens"], session["plaintiff"].pk

    async def run():
        judge = await connect(room, t["judge"])
        party = await connect(room, t["plaintiff"])
        await judge.send_json_to({"type": "control", "action": "admit", "participant_id": pid})
        await until(party, "welcome")
        # the tab dies: dropped. The drop is written in the consumer's disconnect, so the socket is closed
        # without the communicator's disconnect(), which cancels the application after 1 s (it did on a busy CI
        # machine) and re-raises whatever its channel-layer read ends with (a Redis read timeout, once)
        await party.send_input({"type": "websocket.disconnect", "code": 1000})
        assert (await until(judge, "left", timeout=15))["dropped"] is True
        with contextlib.suppress(Exception):  # the closed socket's teardown is not what this test checks
            await party.wait(timeout=10)
        party = await connect(room, t["plaintiff"])
        assert (await until(party, "welcome"))["me"]["id"] == pid  # straight back in, no second admission
        await party.send_json_to({"type": "leave"})
        await until(judge, "left")
        await judge.disconnect()

    async_to_sync(run)()
    trail = [(e.kind, e.payload.get("rejoin")) for e in JournalEntry.objects.filter(
        case=room.case, payload__participant_id=pid,
        kind__in=["room.joined", "room.admitted", "room.dropped", "room.left"]).order_by("seq")]
    assert trail == [("room.joined", False), ("room.admitted", None), ("room.dropped", None),
                     ("room.joined", True), ("room.left", None)]


def test_breakout_hears_only_itself(session):
    room, t = session["room"], session["tokens"]
    pid, did = session["plaintiff"].pk, session["defendant"].pk

    async def run():
        judge = await connect(room, t["judge"])
        party = await connect(room, t["plaintiff"])
        other = await connect(room, t["defendant"])
        for p, ws in ((pid, party), (did, other)):
            await judge.send_json_to({"type": "control", "action": "admit", "participant_id": p})
            await until(ws, "welcome")
        await judge.send_json_to({"type": "control", "action": "breakout", "participant_id": did, "name": "背靠背调解"})
        assert (await until(other, "welcome"))["space"] == "背靠背调解"
        await drain(party)
        await party.send_json_to({"type": "chat", "text": "原告的底线是八万"})
        await party.send_json_to({"type": "offer", "to": did, "sdp": AUDIO_VIDEO_OFFER})
        assert [m for m in await drain(other, 0.5) if m["type"] in ("chat", "offer")] == []
        await judge.send_json_to({"type": "control", "action": "return", "participant_id": did})
        assert (await until(other, "welcome"))["space"] == ""
        for ws in (judge, party, other):
            await ws.disconnect()

    async_to_sync(run)()


def test_stranger_and_bad_token_are_refused(session, users):
    room = session["room"]

    async def run():
        ws = socket(room, session["tokens"]["clerk"])  # court staff of the case but not seated in this room
        ok, code = await ws.connect()
        assert not ok and code == 4404
        ws = socket(room, "yt_nonsense")
        ok, code = await ws.connect()
        assert not ok and code == 4401

    async_to_sync(run)()

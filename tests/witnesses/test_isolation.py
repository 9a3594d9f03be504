"""Isolation at the signalling level, through the real ASGI application and channel layer: a witness waiting in the
lobby asks for media, the participant list, chat and transcript events and is refused, and receives none of the
hearing's broadcasts; admitted to testify, the room reaches the witness; stopped, the witness is back in the lobby
and hears nothing again; dismissed, the socket is closed at once and later connects are refused."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from tests.rooms.test_signalling import AUDIO_VIDEO_OFFER, connect, drain, socket, token, until
from yunting.workflows.witnesses import services

from .conftest import strokes, verify_again

pytestmark = pytest.mark.django_db(transaction=True)

db = sync_to_async  # thread-sensitive: service calls on the thread channels uses, so the journal listener delivers


@pytest.fixture
def scene(seated, hearing_room, users, ready, room_case, access_for, witness_user):
    app, wp = seated
    ready(hearing_room, users["judge"])
    plaintiff = ready(hearing_room, users["plaintiff"])
    return {"room": hearing_room, "app": app, "wp": wp, "pid": plaintiff.pk,
            "judge": {"access": access_for(users["judge"], room_case), "actor": users["judge"]},
            "t": {"judge": token(users["judge"]), "plaintiff": token(users["plaintiff"]),
                  "witness": token(witness_user)}}


def test_lobby_witness_is_refused_everything_of_the_hearing_until_admitted_then_dismissed_for_good(scene):
    room, t, app, wp, judge_kw = scene["room"], scene["t"], scene["app"], scene["wp"], scene["judge"]

    async def run():
        judge = await connect(room, t["judge"])
        await until(judge, "welcome")
        party = await connect(room, t["plaintiff"])
        await judge.send_json_to({"type": "control", "action": "admit", "participant_id": scene["pid"]})
        await until(party, "welcome")
        witness = await connect(room, t["witness"])
        assert (await witness.receive_json_from(timeout=3))["type"] == "lobby"
        # asking for media, the participant list, chat or the transcript: refused at the signalling level
        for kind in ("subscribe", "offer", "answer", "candidate", "participants", "chat", "transcript",
                     "media_state"):
            await witness.send_json_to({"type": kind, "to": scene["pid"], "sdp": AUDIO_VIDEO_OFFER, "text": "?"})
            assert await witness.receive_json_from(timeout=3) == {"type": "error", "code": "not_admitted"}
        # the hearing goes on: chat, an offer aimed at the witness, presence: none of it reaches the lobby
        await judge.send_json_to({"type": "chat", "text": "现在进行法庭调查"})
        await party.send_json_to({"type": "chat", "text": "原告陈述"})
        await judge.send_json_to({"type": "offer", "to": wp.pk, "sdp": AUDIO_VIDEO_OFFER})
        await party.send_json_to({"type": "subscribe", "to": wp.pk})
        assert await drain(witness, 0.5) == []
        await drain(party, 0.2)

        # called (out of the usual order), verified again, oath signed, admitted: the room reaches the witness
        app2 = await db(services.witness_call)(**judge_kw, application=app)
        assert await drain(witness, 0.3) == []
        await db(verify_again)(wp)
        await db(services.witness_oath_sign)(participant=wp, strokes_png=strokes())
        await drain(witness, 0.3)
        await db(services.witness_admit)(**judge_kw, application=app2)
        welcome = await until(witness, "welcome")
        assert {p["seat"] for p in welcome["participants"]} == {"presiding_judge", "plaintiff", "witness"}
        assert (await until(party, "joined"))["participant"]["seat"] == "witness"
        await judge.send_json_to({"type": "chat", "text": "证人陈述"})
        assert (await until(witness, "chat"))["text"] == "证人陈述"

        # stopped on interference: back in the lobby, the room is gone for the witness again
        await db(services.witness_stop)(**judge_kw, application=app2, reason="leading", text="原告代理人诱导发问")
        assert (await until(witness, "lobby"))["me"]["id"] == wp.pk
        left = await until(party, "left")
        assert left["participant_id"] == wp.pk
        await party.send_json_to({"type": "chat", "text": "证人刚才说的不对"})
        await witness.send_json_to({"type": "participants"})
        assert await witness.receive_json_from(timeout=3) == {"type": "error", "code": "not_admitted"}
        assert await drain(witness, 0.5) == []
        # a reload (dropped connection) after being sent back does not bring the witness back into the room
        await witness.disconnect()
        witness = await connect(room, t["witness"])
        assert (await witness.receive_json_from(timeout=3))["type"] == "lobby"

        # called again, checked again, admitted, then dismissed: closed at once, no way back
        app3 = await db(services.witness_call)(**judge_kw, application=app2)
        await db(verify_again)(wp)
        app3 = await db(services.witness_admit)(**judge_kw, application=app3)
        await until(witness, "welcome")
        await db(services.witness_dismiss)(**judge_kw, application=app3)
        assert (await until(witness, "removed"))["reason"]
        assert (await witness.receive_output(timeout=3))["type"] == "websocket.close"
        left = await until(party, "left")
        while not left.get("removed"):  # the earlier reload's "dropped" may come first
            left = await until(party, "left")
        assert left["participant_id"] == wp.pk
        again = socket(room, t["witness"])
        ok, code = await again.connect()
        assert not ok and code == 4404
        for ws in (judge, party):
            await ws.disconnect()

    async_to_sync(run)()

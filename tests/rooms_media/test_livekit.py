"""The LiveKit adapter against LiveKit's documented API shape: access tokens carry exactly the grants a seat
may have, and room calls are Twirp requests to /twirp/livekit.RoomService/* (answered here by a small local
stand-in, named as such, that decodes them with LiveKit's own protobuf types)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from yunting.core.rooms.media.sfu.livekit import LiveKitSfu

lk_api = pytest.importorskip("livekit.api")


class FakeLiveKitServer(BaseHTTPRequestHandler):
    """Answers RoomService calls the way LiveKit documents them; records what it was asked."""

    calls: list = []

    def do_POST(self):  # noqa: N802
        from livekit.protocol import models, room

        body = self.rfile.read(int(self.headers["Content-Length"]))
        method = self.path.rsplit("/", 1)[-1]
        auth = self.headers.get("Authorization", "")
        types = {"CreateRoom": (room.CreateRoomRequest, lambda r: models.Room(name=r.name, sid="RM_fake")),
                 "ListParticipants": (room.ListParticipantsRequest, lambda r: room.ListParticipantsResponse(
                     participants=[models.ParticipantInfo(sid="PA_1", identity="p-7", name="原告")])),
                 "RemoveParticipant": (room.RoomParticipantIdentity, lambda r: room.RemoveParticipantResponse()),
                 "DeleteRoom": (room.DeleteRoomRequest, lambda r: room.DeleteRoomResponse())}
        req_type, answer = types[method]
        req = req_type()
        req.ParseFromString(body)
        self.calls.append((self.path, req, auth))
        out = answer(req).SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/protobuf")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_livekit():
    FakeLiveKitServer.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLiveKitServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", FakeLiveKitServer.calls
    server.shutdown()


def test_tokens_grant_only_this_room_and_what_the_seat_may_do():
    sfu = LiveKitSfu(url="http://livekit.invalid", api_key="key", api_secret="s" * 32)
    from yunting.core.rooms.media.sfu.base import SfuRoom

    grant = sfu.grant(room=SfuRoom(sfu_id="yt-room-5"), identity="p-7", display="原告", can_publish=False)
    claims = jwt.decode(grant.token, "s" * 32, algorithms=["HS256"], options={"verify_aud": False})
    assert claims["sub"] == "p-7" and claims["iss"] == "key" and claims["name"] == "原告"
    video = claims["video"]
    assert video["room"] == "yt-room-5" and video["roomJoin"] is True
    assert video["canPublish"] is False and video["canSubscribe"] is True  # a muted seat cannot publish
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(grant.token, "t" * 32, algorithms=["HS256"], options={"verify_aud": False})


def test_room_calls_are_signed_twirp_requests(fake_livekit):
    url, calls = fake_livekit
    sfu = LiveKitSfu(url=url, api_key="key", api_secret="s" * 32)
    room = sfu.room_create(name="yt-room-5", max_publishers=3)
    assert room.sfu_id == "yt-room-5" and room.extra["sid"] == "RM_fake"
    assert sfu.participants(room=room) == [{"id": "PA_1", "display": "原告", "identity": "p-7"}]
    sfu.kick(room=room, identity="p-7")
    sfu.room_destroy(room=room)
    assert [c[0] for c in calls] == ["/twirp/livekit.RoomService/" + m for m in
                                     ("CreateRoom", "ListParticipants", "RemoveParticipant", "DeleteRoom")]
    assert calls[0][1].max_participants == 6 and calls[2][1].identity == "p-7"
    token = calls[0][2].removeprefix("Bearer ")
    assert jwt.decode(token, "s" * 32, algorithms=["HS256"], options={"verify_aud": False})["video"]["roomCreate"]

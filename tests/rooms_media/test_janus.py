"""The Janus adapter against a real Janus (Debian package) that the test starts on a free port with its own
configuration: rooms are created private, a page can join only with a token the server granted, recording is
switched on and off, and rooms are destroyed."""

import json
import urllib.request

import pytest

from yunting.core.rooms.media.sfu.base import SfuError
from yunting.core.rooms.media.sfu.janus import JanusSfu
from yunting.core.rooms.media.sfu.janus_local import LocalJanus, janus_available

pytestmark = pytest.mark.skipif(bool(janus_available()), reason=janus_available() or "janus available")


@pytest.fixture(scope="module")
def janus():
    with LocalJanus() as j:
        yield j


def _post(url, body):
    body = {**body, "transaction": "t"}
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read())


def join_as_page(janus_url, room_id, token=None):
    """What the Janus JS client does in a page: session, VideoRoom handle, join as a publisher; the plugin's
    asynchronous answer (taken from the session's long poll)."""
    session = _post(janus_url, {"janus": "create"})["data"]["id"]
    handle = _post(f"{janus_url}/{session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"})["data"]["id"]
    body = {"request": "join", "ptype": "publisher", "room": int(room_id), "display": "原告"}
    if token:
        body["token"] = token
    _post(f"{janus_url}/{session}/{handle}", {"janus": "message", "body": body})
    for _ in range(10):
        with urllib.request.urlopen(f"{janus_url}/{session}?maxev=1", timeout=10) as r:
            event = json.loads(r.read())
        if event.get("janus") == "event":
            return event["plugindata"]["data"]
    raise AssertionError("no answer from the VideoRoom plugin")


def test_a_page_joins_only_with_a_granted_token(janus, tmp_path):
    sfu = JanusSfu(url=janus.url, recordings_dir=str(tmp_path))
    room = sfu.room_create(name="（2026）民初1号 庭审", max_publishers=3)
    refused = join_as_page(janus.url, room.sfu_id)
    assert refused.get("error_code") == 433  # unauthorized: the room id alone is not a key
    grant = sfu.grant(room=room, identity="p-7", display="原告")
    joined = join_as_page(janus.url, room.sfu_id, grant.token)
    assert joined["videoroom"] == "joined" and joined["room"] == int(room.sfu_id)
    assert [p["display"] for p in sfu.participants(room=room)] == ["原告"]
    sfu.kick(room=room, identity="原告")
    assert sfu.participants(room=room) == []
    sfu.room_destroy(room=room)
    with pytest.raises(SfuError):
        sfu.participants(room=room)


def test_recording_switches_on_and_off_and_needs_the_room_secret(janus, tmp_path):
    sfu = JanusSfu(url=janus.url, recordings_dir=str(tmp_path))
    room = sfu.room_create(name="mediation", record=False)
    sfu.recording_start(room=room)
    assert sfu.recording_stop(room=room) == []  # nobody published: nothing recorded, nothing to convert
    wrong = type(room)(sfu_id=room.sfu_id, recording_dir=room.recording_dir, extra={"secret": "guess"})
    with pytest.raises(SfuError) as exc:
        sfu.recording_start(room=wrong)
    assert exc.value.code == 433
    sfu.room_destroy(room=room)

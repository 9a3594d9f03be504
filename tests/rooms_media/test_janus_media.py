"""Real media through a real Janus VideoRoom: aiortc peers publish a camera (the drawn face) and a microphone, another
peer subscribes and decodes what Janus relays; Janus records the publisher server-side (.mjr) and janus-pp-rec turns
the recording into a playable WebM/Opus that the patrol can read. The host's mute goes through the adapter to
Janus's `moderate` request over HTTP: the SFU stops relaying, whatever the publisher's page does."""

import asyncio
import time

import av
import pytest

from yunting.core.rooms.media import patrol
from yunting.core.rooms.media.sfu.base import SfuError
from yunting.core.rooms.media.sfu.janus import JanusSfu
from yunting.core.rooms.media.sfu.janus_local import LocalJanus, janus_available

aiortc = pytest.importorskip("aiortc", reason="aiortc (dev dependency) sends the real media")
pytestmark = pytest.mark.skipif(bool(janus_available()), reason=janus_available() or "janus available")


@pytest.fixture(scope="module")
def janus():
    with LocalJanus() as j:
        yield j


def run(coro, timeout=120):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def test_published_media_reaches_a_subscriber_and_janus_records_it(janus, tmp_path):
    from yunting.core.rooms.media.sfu.janus_peer import Publisher, Subscriber

    sfu = JanusSfu(url=janus.url, recordings_dir=str(tmp_path))
    room = sfu.room_create(name="（2026）民初1号 庭审", max_publishers=3, record=True)
    rid = int(room.sfu_id)

    async def scene():
        pub = await Publisher(janus.url, rid, sfu.grant(room=room, identity="p1", display="原告").token,
                              "原告").start()
        sub = await Subscriber(janus.url, rid, sfu.grant(room=room, identity="p2", display="法官").token).start(
            [pub.id])
        try:
            assert await sub.wait_video(45, timeout=40), f"only {sub.video_frames()} video frames arrived"
            started = time.monotonic()
            while sub.audio_frames() < 50 and time.monotonic() - started < 10:
                await asyncio.sleep(0.1)
            return sub.video_frames(), sub.audio_frames(), sub.last_video
        finally:
            await sub.stop()
            await pub.stop()

    video, audio, picture = run(scene())
    assert video >= 45 and audio >= 50
    assert picture.shape == (360, 640)
    assert patrol._faces(picture) == 1  # the subscriber sees the participant's face, not just packets

    made = sfu.recording_stop(room=room)
    webm = [p for p in made if p.endswith(".webm")]
    opus = [p for p in made if p.endswith(".opus")]
    assert len(webm) == 1 and len(opus) == 1, made
    assert list(tmp_path.glob(f"{rid}/*.mjr"))  # the server-side recording Janus wrote
    with av.open(webm[0]) as box:
        frames = [f for f in box.decode(video=0)]
    assert len(frames) >= 45 and (frames[0].width, frames[0].height) == (640, 360)
    with av.open(opus[0]) as box:
        assert sum(f.samples for f in box.decode(audio=0)) >= 48000  # at least a second of sound
    # the converted recording is what the patrol reads (whether the face is found in it depends on the encoder's
    # quality while the machine is busy, so the patrol's accuracy is measured on generated clips, test_patrol.py)
    found = patrol.analyse(webm[0], patrol.Thresholds(out_of_frame_s=2, silence_s=600))
    assert found.has_video and found.frames_looked_at >= 3 and found.duration_s >= 3
    sfu.room_destroy(room=room)


def test_host_mute_is_enforced_by_janus(janus, tmp_path):
    """moderate over Janus's HTTP API through the adapter: the muted camera's frames stop reaching the subscriber
    while the microphone carries on; unmuted, the picture comes back. Only the room's secret may moderate."""
    from yunting.core.rooms.media.sfu.janus_peer import Publisher, Subscriber

    sfu = JanusSfu(url=janus.url)
    room = sfu.room_create(name="mute", max_publishers=3)
    rid = int(room.sfu_id)

    async def counts(sub, seconds):
        v, a = sub.video_frames(), sub.audio_frames()
        await asyncio.sleep(seconds)
        return sub.video_frames() - v, sub.audio_frames() - a

    async def scene():
        pub = await Publisher(janus.url, rid, sfu.grant(room=room, identity="p1", display="被告").token,
                              "被告").start()
        sub = await Subscriber(janus.url, rid, sfu.grant(room=room, identity="p2", display="法官").token).start(
            [pub.id])
        try:
            assert await sub.wait_video(10, timeout=40)
            streams = {s["type"]: s for s in (await asyncio.to_thread(sfu.publishers, room=room))[0]["streams"]}
            assert not streams["video"].get("moderated")
            wrong = type(room)(sfu_id=room.sfu_id, extra={"secret": "guess"})
            with pytest.raises(SfuError) as refused:
                await asyncio.to_thread(sfu.mute, room=wrong, identity="被告", kind="video")
            assert refused.value.code == 433
            before = await counts(sub, 1.5)
            assert await asyncio.to_thread(sfu.mute, room=room, identity="被告", kind="video") == 1
            await asyncio.sleep(0.7)  # frames already on the wire
            muted = await counts(sub, 2.5)
            streams = {s["type"]: s for s in (await asyncio.to_thread(sfu.publishers, room=room))[0]["streams"]}
            assert streams["video"]["moderated"] is True and not streams["audio"].get("moderated")
            await asyncio.to_thread(sfu.mute, room=room, identity="被告", kind="video", mute=False)
            back = await sub.wait_video(sub.video_frames() + 10, timeout=20)
            return before, muted, back
        finally:
            await sub.stop()
            await pub.stop()

    before, muted, back = run(scene())
    assert before[0] > 0
    assert muted[0] == 0, f"{muted[0]} video frames relayed while muted"
    assert muted[1] > 20  # the microphone was not touched
    assert back
    assert sfu.mute(room=room, identity="nobody", kind="audio") == 0
    sfu.room_destroy(room=room)

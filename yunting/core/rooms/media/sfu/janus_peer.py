"""aiortc peers that talk to a Janus VideoRoom the way a courtroom page's Janus client does: for the tests and the
bench, which must send and receive real media through a real Janus (aiortc is a dev dependency).

A `JanusSession` is one Janus session over the HTTP API with a long-poll task that sorts the asynchronous events
by plugin handle. `Publisher` joins with a granted token and publishes a synthetic camera (the drawn face of
synth.py, VP8) and microphone (Opus); `Subscriber` joins the room's publishers' streams and counts the frames it
decodes, noting when the first one arrived.
"""

from __future__ import annotations

import asyncio
import fractions
import json
import secrets
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

VIDEOROOM = "janus.plugin.videoroom"


class JanusSession:
    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.id: int | None = None
        self.queues: dict[int, asyncio.Queue] = {}
        self._poller: asyncio.Task | None = None
        self._closed = False
        # the long poll blocks a thread for up to 30 s: its own thread, not the loop's default executor, which
        # aiortc needs for encoding and decoding (six sessions polling there would starve the media)
        self._poll_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="janus-poll")

    def _post_sync(self, path: str, body: dict) -> dict:
        body = {**body, "transaction": secrets.token_hex(6)}
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=15) as r:  # noqa: S310 (local Janus)
            return json.loads(r.read())

    async def post(self, path: str, body: dict) -> dict:
        answer = await asyncio.to_thread(self._post_sync, path, body)
        if answer.get("janus") == "error":
            raise RuntimeError(f"Janus error: {answer.get('error')}")
        return answer

    async def create(self) -> JanusSession:
        self.id = (await self.post("", {"janus": "create"}))["data"]["id"]
        self._poller = asyncio.create_task(self._poll())
        return self

    async def attach(self) -> int:
        handle = (await self.post(f"/{self.id}", {"janus": "attach", "plugin": VIDEOROOM}))["data"]["id"]
        self.queues[handle] = asyncio.Queue()
        return handle

    def _get_sync(self) -> list[dict]:
        with urllib.request.urlopen(f"{self.url}/{self.id}?maxev=10", timeout=40) as r:  # noqa: S310
            got = json.loads(r.read())
        return got if isinstance(got, list) else [got]

    async def _poll(self) -> None:
        while not self._closed:
            try:
                events = await asyncio.get_running_loop().run_in_executor(self._poll_thread, self._get_sync)
            except Exception:  # noqa: BLE001 (session gone or Janus stopped)
                if self._closed:
                    return
                await asyncio.sleep(0.2)
                continue
            for ev in events:
                q = self.queues.get(ev.get("sender"))
                if q is not None and ev.get("janus") in ("event", "hangup", "webrtcup", "media", "slowlink"):
                    q.put_nowait(ev)

    async def message(self, handle: int, body: dict, jsep: dict | None = None) -> dict:
        msg: dict[str, Any] = {"janus": "message", "body": body}
        if jsep:
            msg["jsep"] = jsep
        answer = await self.post(f"/{self.id}/{handle}", msg)
        if answer.get("janus") == "success":  # synchronous request
            return answer["plugindata"]["data"]
        return await self.event(handle, lambda ev: ev.get("janus") == "event")

    async def event(self, handle: int, want, timeout: float = 20.0) -> dict:
        """The next event of the handle that `want` accepts (others are dropped); plugin data with `jsep`."""
        deadline = time.monotonic() + timeout
        q = self.queues[handle]
        while True:
            ev = await asyncio.wait_for(q.get(), max(0.01, deadline - time.monotonic()))
            if want(ev):
                data = dict(ev.get("plugindata", {}).get("data", {}))
                if "jsep" in ev:
                    data["jsep"] = ev["jsep"]
                return data

    async def destroy(self) -> None:
        self._closed = True
        try:
            await self.post(f"/{self.id}", {"janus": "destroy"})
        except Exception:  # noqa: BLE001
            pass
        if self._poller:
            self._poller.cancel()
        self._poll_thread.shutdown(wait=False, cancel_futures=True)


def _tracks(display_seed: int = 0, *, fps: int = 15):
    """A synthetic camera (the drawn face, gently swaying, at `fps`) and microphone (quiet noise)."""
    from aiortc.mediastreams import MediaStreamTrack
    from av import AudioFrame, VideoFrame

    from ..synth import Script, frame_at

    script, rng = Script(duration=10**6), np.random.default_rng(display_seed)
    pictures: dict[int, np.ndarray] = {}

    class Camera(MediaStreamTrack):
        kind = "video"

        def __init__(self):
            super().__init__()
            self.n, self.t0 = 0, None

        async def recv(self):
            if self.t0 is None:
                self.t0 = time.monotonic()
            wait = self.t0 + self.n / fps - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            # a one-second loop of pictures made once: drawing each frame anew would hold the GIL that the
            # event loop needs for the packets (the peer is a test camera, not what is being measured)
            i = self.n % fps
            if i not in pictures:
                pictures[i] = frame_at(script, i / fps, rng)
            frame = VideoFrame.from_ndarray(pictures[i], format="bgr24")
            frame.pts, frame.time_base = self.n * (90000 // fps), fractions.Fraction(1, 90000)
            self.n += 1
            return frame

    class Microphone(MediaStreamTrack):
        kind = "audio"

        def __init__(self):
            super().__init__()
            self.n, self.t0 = 0, None

        async def recv(self):
            if self.t0 is None:
                self.t0 = time.monotonic()
            wait = self.t0 + self.n * 0.02 - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            pcm = (rng.standard_normal(960) * 800).astype(np.int16).reshape(1, -1)
            frame = AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = 48000, self.n * 960, fractions.Fraction(1, 48000)
            self.n += 1
            return frame

    return Camera(), Microphone()


class Publisher:
    """A participant's page publishing camera and microphone into the room."""

    def __init__(self, url: str, room: int, token: str, display: str, *, seed: int = 0):
        self.url, self.room, self.token, self.display, self.seed = url, room, token, display, seed
        self.session = JanusSession(url)
        self.pc = None
        self.id: int | None = None
        self.handle: int | None = None
        self.mids: dict[str, str] = {}  # kind → mid, as Janus knows the streams

    async def start(self) -> Publisher:
        from aiortc import RTCPeerConnection, RTCSessionDescription

        await self.session.create()
        self.handle = await self.session.attach()
        joined = await self.session.message(self.handle, {"request": "join", "ptype": "publisher", "room": self.room,
                                                          "display": self.display, "token": self.token})
        if joined.get("videoroom") != "joined":
            raise RuntimeError(f"join refused: {joined}")
        self.id = joined["id"]
        self.pc = RTCPeerConnection()
        for track in _tracks(self.seed):
            self.pc.addTransceiver(track, direction="sendonly")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        offer = {"type": "offer", "sdp": self.pc.localDescription.sdp}
        done = await self.session.message(self.handle, {"request": "publish", "audio": True, "video": True},
                                          jsep=offer)
        if done.get("configured") != "ok" or "jsep" not in done:
            raise RuntimeError(f"publish refused: {done}")
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=done["jsep"]["sdp"], type="answer"))
        for t in self.pc.getTransceivers():
            self.mids[t.kind] = t.mid
        # the feed exists for subscribers once Janus has the media flowing (ICE + DTLS done): "webrtcup"
        await self.session.event(self.handle, lambda ev: ev.get("janus") == "webrtcup", timeout=30)
        return self

    async def stop(self) -> None:
        if self.pc is not None:
            try:
                await self.session.message(self.handle, {"request": "leave"})
            except Exception:  # noqa: BLE001
                pass
            await self.pc.close()
        await self.session.destroy()


class Subscriber:
    """A page watching publishers: one PeerConnection receiving all their streams; counts decoded frames."""

    def __init__(self, url: str, room: int, token: str):
        self.url, self.room, self.token = url, room, token
        self.session = JanusSession(url)
        self.pc = None
        self.handle: int | None = None
        self.frames: dict[str, int] = {}  # track id → decoded frames
        self.kinds: dict[str, str] = {}
        self.first_video_at: float | None = None
        self.last_video: np.ndarray | None = None
        self.joined_at = 0.0
        self._readers: list[asyncio.Task] = []

    async def start(self, feeds: list[int], *, audio: bool = True) -> Subscriber:
        from aiortc import RTCPeerConnection, RTCSessionDescription

        await self.session.create()
        self.handle = await self.session.attach()
        self.joined_at = time.monotonic()
        streams = [{"feed": f} for f in feeds]
        attached = await self.session.message(self.handle, {"request": "join", "ptype": "subscriber",
                                                            "room": self.room, "streams": streams,
                                                            "token": self.token})
        if attached.get("videoroom") != "attached" or "jsep" not in attached:
            raise RuntimeError(f"subscribe refused: {attached}")
        self.pc = RTCPeerConnection()

        @self.pc.on("track")
        def on_track(track):
            self.frames[track.id], self.kinds[track.id] = 0, track.kind
            self._readers.append(asyncio.ensure_future(self._read(track)))

        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=attached["jsep"]["sdp"], type="offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        await self.session.message(self.handle, {"request": "start"},
                                   jsep={"type": "answer", "sdp": self.pc.localDescription.sdp})
        return self

    async def _read(self, track) -> None:
        from aiortc.mediastreams import MediaStreamError

        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self.frames[track.id] += 1
            if track.kind == "video":
                if self.first_video_at is None:
                    self.first_video_at = time.monotonic()
                if self.frames[track.id] % 15 == 1:
                    self.last_video = frame.to_ndarray(format="gray")

    def video_frames(self) -> int:
        return sum(n for tid, n in self.frames.items() if self.kinds[tid] == "video")

    def audio_frames(self) -> int:
        return sum(n for tid, n in self.frames.items() if self.kinds[tid] == "audio")

    async def wait_video(self, frames: int, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.video_frames() >= frames:
                return True
            await asyncio.sleep(0.05)
        return False

    async def stop(self) -> None:
        for r in self._readers:
            r.cancel()
        if self.pc is not None:
            await self.pc.close()
        await self.session.destroy()

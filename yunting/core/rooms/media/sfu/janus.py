"""Janus (Debian's `janus`) as the SFU: the VideoRoom plugin driven over Janus's HTTP API.

Every control call opens a short Janus session, attaches the VideoRoom plugin, sends one synchronous request and
destroys the session, so nothing here has to keep a session alive. Pages join with the room id and a one-time
token that the server adds to the room's `allowed` list (VideoRoom refuses a join without one), so an id alone
is never a key. Recording: VideoRoom writes one .mjr per stream into the room's folder; `janus-pp-rec` (from
`janus-tools`) turns each into a playable .webm (video) or .opus (audio) file.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .base import SfuError, SfuGrant, SfuRoom

VIDEOROOM = "janus.plugin.videoroom"


class JanusSfu:
    name = "janus"

    def __init__(self, *, url: str, public_url: str = "", recordings_dir: str = "", timeout: float = 5.0):
        self.url = url.rstrip("/")  # e.g. http://127.0.0.1:8088/janus
        self.public_url = public_url or self.url
        self.recordings_dir = recordings_dir
        self.timeout = timeout

    # --- transport ----------------------------------------------------------------------------------------
    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        body = {**body, "transaction": secrets.token_hex(8)}
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (configured URL)
                answer = json.loads(resp.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SfuError(f"Janus unreachable at {self.url}: {exc}") from exc
        if answer.get("janus") == "error":
            err = answer.get("error", {})
            raise SfuError(err.get("reason", "Janus error"), code=err.get("code"))
        return answer

    def info(self) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(self.url + "/info", timeout=self.timeout) as resp:  # noqa: S310
                return json.loads(resp.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SfuError(f"Janus unreachable at {self.url}: {exc}") from exc

    def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """One synchronous VideoRoom request in a throwaway session; the plugin's answer."""
        session = self._post("", {"janus": "create"})["data"]["id"]
        try:
            handle = self._post(f"/{session}", {"janus": "attach", "plugin": VIDEOROOM})["data"]["id"]
            answer = self._post(f"/{session}/{handle}", {"janus": "message", "body": body})
        finally:
            try:
                self._post(f"/{session}", {"janus": "destroy"})
            except SfuError:
                pass
        data = answer.get("plugindata", {}).get("data", {})
        if data.get("videoroom") == "event" and data.get("error_code"):
            raise SfuError(data.get("error", "VideoRoom error"), code=data["error_code"])
        return data

    # --- the adapter ------------------------------------------------------------------------------------------
    def room_create(self, *, name: str, max_publishers: int = 6, record: bool = False) -> SfuRoom:
        room_id = secrets.randbelow(2**52) + 1
        secret = secrets.token_urlsafe(18)
        rec_dir = ""
        if self.recordings_dir:
            rec_dir = os.path.join(self.recordings_dir, str(room_id))
            os.makedirs(rec_dir, exist_ok=True)
        body = {"request": "create", "room": room_id, "description": name[:100], "secret": secret,
                "publishers": max_publishers, "is_private": True, "permanent": False, "audiocodec": "opus",
                "videocodec": "vp8", "record": record, "allowed": []}
        if rec_dir:
            body["rec_dir"] = rec_dir
        self.request(body)
        return SfuRoom(sfu_id=str(room_id), recording_dir=rec_dir, extra={"secret": secret})

    def grant(self, *, room: SfuRoom, identity: str, display: str, can_publish: bool = True,
              can_subscribe: bool = True) -> SfuGrant:
        token = secrets.token_urlsafe(24)
        self.request({"request": "allowed", "room": int(room.sfu_id), "secret": room.extra["secret"],
                      "action": "add", "allowed": [token]})
        return SfuGrant(url=self.public_url, room=room.sfu_id, identity=identity, token=token,
                        can_publish=can_publish, can_subscribe=can_subscribe)

    def recording_start(self, *, room: SfuRoom) -> None:
        self.request({"request": "enable_recording", "room": int(room.sfu_id), "secret": room.extra["secret"],
                      "record": True})

    def recording_stop(self, *, room: SfuRoom) -> list[str]:
        """Stop recording and convert every .mjr of the room: the paths of the playable files."""
        self.request({"request": "enable_recording", "room": int(room.sfu_id), "secret": room.extra["secret"],
                      "record": False})
        return convert_recordings(room.recording_dir) if room.recording_dir else []

    def participants(self, *, room: SfuRoom) -> list[dict[str, Any]]:
        data = self.request({"request": "listparticipants", "room": int(room.sfu_id)})
        return data.get("participants", [])

    def moderate(self, *, room: SfuRoom, publisher_id: int, mid: str, mute: bool) -> None:
        """Server-side mute: Janus stops relaying that stream of the publisher, whatever its page does."""
        self.request({"request": "moderate", "room": int(room.sfu_id), "secret": room.extra["secret"],
                      "id": publisher_id, "mid": mid, "mute": mute})

    def publishers(self, *, room: SfuRoom) -> list[dict[str, Any]]:
        """The room's active publishers with their streams (type, mid, codec, moderated), as a page joining the
        room would see them: VideoRoom lists streams only to a joined participant, so the server joins with a
        token of its own, reads the list and leaves."""
        token = secrets.token_urlsafe(24)
        rid, secret = int(room.sfu_id), room.extra["secret"]
        self.request({"request": "allowed", "room": rid, "secret": secret, "action": "add", "allowed": [token]})
        session = self._post("", {"janus": "create"})["data"]["id"]
        try:
            handle = self._post(f"/{session}", {"janus": "attach", "plugin": VIDEOROOM})["data"]["id"]
            self._post(f"/{session}/{handle}", {"janus": "message", "body": {
                "request": "join", "ptype": "publisher", "room": rid, "display": "yunting-server", "token": token}})
            for _ in range(20):
                try:
                    with urllib.request.urlopen(f"{self.url}/{session}?maxev=1",  # noqa: S310 (configured URL)
                                                timeout=self.timeout + 30) as resp:
                        event = json.loads(resp.read())
                except (urllib.error.URLError, OSError, ValueError) as exc:
                    raise SfuError(f"Janus unreachable at {self.url}: {exc}") from exc
                data = event.get("plugindata", {}).get("data", {})
                if event.get("janus") == "event" and data.get("error_code"):
                    raise SfuError(data.get("error", "VideoRoom error"), code=data["error_code"])
                if data.get("videoroom") == "joined":
                    return data.get("publishers", [])
            raise SfuError("Janus did not answer the join")
        finally:
            try:
                self._post(f"/{session}", {"janus": "destroy"})
            except SfuError:
                pass
            try:
                self.request({"request": "allowed", "room": rid, "secret": secret, "action": "remove",
                              "allowed": [token]})
            except SfuError:
                pass

    def mute(self, *, room: SfuRoom, identity: str, kind: str = "audio", mute: bool = True) -> int:
        """The host's mute (or camera off, kind="video") enforced by the SFU for every stream of that kind the
        participant publishes; the number of streams moderated (0 when they publish none)."""
        n = 0
        for p in self.publishers(room=room):
            if p.get("display") != identity and str(p.get("id")) != identity:
                continue
            for st in p.get("streams", []):
                if st.get("type") == kind and not st.get("disabled"):
                    self.moderate(room=room, publisher_id=p["id"], mid=st["mid"], mute=mute)
                    n += 1
        return n

    def kick(self, *, room: SfuRoom, identity: str) -> None:
        for p in self.participants(room=room):
            if p.get("display") == identity or str(p.get("id")) == identity:
                self.request({"request": "kick", "room": int(room.sfu_id), "secret": room.extra["secret"],
                              "id": p["id"]})

    def room_destroy(self, *, room: SfuRoom) -> None:
        try:
            self.request({"request": "destroy", "room": int(room.sfu_id), "secret": room.extra["secret"]})
        except SfuError as exc:
            if exc.code != 426:  # no such room: already gone
                raise


def convert_recordings(folder: str) -> list[str]:
    """janus-pp-rec each .mjr of a folder into .webm (video) or .opus (audio); returns the files made."""
    tool = shutil.which("janus-pp-rec")
    if tool is None:
        raise SfuError("janus-pp-rec is not installed (Debian package janus-tools)")
    made = []
    for mjr in sorted(Path(folder).glob("*.mjr")):
        out = mjr.with_suffix(".opus" if "-audio" in mjr.name else ".webm")
        if out.exists():
            made.append(str(out))
            continue
        done = subprocess.run([tool, str(mjr), str(out)], capture_output=True, timeout=300, check=False)
        if done.returncode == 0 and out.exists() and out.stat().st_size > 0:
            made.append(str(out))
    return made

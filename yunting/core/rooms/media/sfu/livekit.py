"""LiveKit as the SFU, through its server SDK (`livekit-api`): signed access tokens for the pages, the
RoomService for rooms and participants, Egress for recording. LiveKit's server cannot be installed on these
machines, so this is tested against the documented API shape (Twirp calls to /twirp/livekit.*)."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any

from .base import SfuError, SfuGrant, SfuRoom


class LiveKitSfu:
    name = "livekit"

    def __init__(self, *, url: str, api_key: str, api_secret: str, public_url: str = "",
                 recordings_dir: str = "", token_ttl: timedelta = timedelta(hours=4)):
        self.url, self.api_key, self.api_secret = url, api_key, api_secret
        self.public_url = public_url or url.replace("http", "ws", 1)
        self.recordings_dir, self.token_ttl = recordings_dir, token_ttl

    def _call(self, fn):
        from livekit import api

        async def run():
            async with api.LiveKitAPI(self.url, self.api_key, self.api_secret) as lk:
                return await fn(lk, api)

        try:
            return asyncio.run(run())
        except SfuError:
            raise
        except Exception as exc:  # noqa: BLE001 (twirp errors, connection errors: one adapter error)
            raise SfuError(f"LiveKit: {exc}", code=getattr(exc, "code", None)) from exc

    def room_create(self, *, name: str, max_publishers: int = 6, record: bool = False) -> SfuRoom:
        room = self._call(lambda lk, api: lk.room.create_room(api.CreateRoomRequest(
            name=name, max_participants=max_publishers * 2, empty_timeout=600)))
        sfu = SfuRoom(sfu_id=room.name, recording_dir=self.recordings_dir, extra={"sid": room.sid})
        if record:
            self.recording_start(room=sfu)
        return sfu

    def grant(self, *, room: SfuRoom, identity: str, display: str, can_publish: bool = True,
              can_subscribe: bool = True) -> SfuGrant:
        from livekit import api

        token = (api.AccessToken(self.api_key, self.api_secret).with_identity(identity).with_name(display)
                 .with_ttl(self.token_ttl)
                 .with_grants(api.VideoGrants(room_join=True, room=room.sfu_id, can_publish=can_publish,
                                              can_subscribe=can_subscribe, can_publish_data=True))
                 .to_jwt())
        return SfuGrant(url=self.public_url, room=room.sfu_id, identity=identity, token=token,
                        can_publish=can_publish, can_subscribe=can_subscribe)

    def recording_start(self, *, room: SfuRoom) -> None:
        path = os.path.join(self.recordings_dir or "/recordings", f"{room.sfu_id}-{{time}}.mp4")
        info = self._call(lambda lk, api: lk.egress.start_room_composite_egress(api.RoomCompositeEgressRequest(
            room_name=room.sfu_id, file_outputs=[api.EncodedFileOutput(filepath=path)])))
        room.extra["egress_id"] = info.egress_id

    def recording_stop(self, *, room: SfuRoom) -> list[str]:
        egress_id = room.extra.get("egress_id")
        if not egress_id:
            return []
        info = self._call(lambda lk, api: lk.egress.stop_egress(api.StopEgressRequest(egress_id=egress_id)))
        return [f.filename for f in info.file_results if f.filename]

    def participants(self, *, room: SfuRoom) -> list[dict[str, Any]]:
        res = self._call(lambda lk, api: lk.room.list_participants(api.ListParticipantsRequest(room=room.sfu_id)))
        return [{"id": p.sid, "display": p.name, "identity": p.identity} for p in res.participants]

    def mute(self, *, room: SfuRoom, identity: str, track_sid: str, muted: bool = True) -> None:
        self._call(lambda lk, api: lk.room.mute_published_track(api.MuteRoomTrackRequest(
            room=room.sfu_id, identity=identity, track_sid=track_sid, muted=muted)))

    def kick(self, *, room: SfuRoom, identity: str) -> None:
        self._call(lambda lk, api: lk.room.remove_participant(api.RoomParticipantIdentity(
            room=room.sfu_id, identity=identity)))

    def room_destroy(self, *, room: SfuRoom) -> None:
        self._call(lambda lk, api: lk.room.delete_room(api.DeleteRoomRequest(room=room.sfu_id)))

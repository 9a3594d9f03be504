"""The SFU adapter: one narrow interface the rooms use for larger rooms and server-side recording.

A room opens an SFU room, each admitted participant gets a handle to publish and subscribe (for Janus a session
and plugin handle the page drives with the Janus JS client; for LiveKit a signed access token), recording is
started and stopped per room, and the room is destroyed when the hearing closes. Two implementations:
`JanusSfu` (Debian's janus, the production SFU, tested against a real server) and `LiveKitSfu` (server SDK).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class SfuError(Exception):
    """The SFU refused or could not be reached; `code` is the SFU's own error code where it gave one."""

    def __init__(self, message: str, *, code: int | str | None = None):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SfuRoom:
    """An SFU room as the adapter created it: `sfu_id` is what the SFU calls it."""

    sfu_id: str
    recording_dir: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SfuGrant:
    """What a participant's page needs to join: where to connect and a credential limited to this room.

    `can_publish` is False for a muted or camera-off participant re-joined by the host, and for viewers."""

    url: str
    room: str
    identity: str
    token: str
    can_publish: bool
    can_subscribe: bool


class Sfu(Protocol):
    name: str

    def room_create(self, *, name: str, max_publishers: int = 6, record: bool = False) -> SfuRoom: ...

    def grant(self, *, room: SfuRoom, identity: str, display: str, can_publish: bool = True,
              can_subscribe: bool = True) -> SfuGrant: ...

    def recording_start(self, *, room: SfuRoom) -> None: ...

    def recording_stop(self, *, room: SfuRoom) -> list[str]: ...

    def participants(self, *, room: SfuRoom) -> list[dict[str, Any]]: ...

    def kick(self, *, room: SfuRoom, identity: str) -> None: ...

    def room_destroy(self, *, room: SfuRoom) -> None: ...

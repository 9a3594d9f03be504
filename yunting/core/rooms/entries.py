"""The entry kinds rooms append to the case journal. Every payload carries "room_id"; participant acts also carry
"participant_id" and "seat".

- room.opened        {"room_id", "activity", "host_id", "file_volume", "media_backend", "seats": [{"participant_id", "seat"}]}
- room.invited       {"room_id", "participant_id", "seat", "by_invitation": bool}
- room.verified      {"room_id", "participant_id", "seat", "method": "otp"|"otp+face"|"on_site"} (on_site: checked in person
                     by a shared-court point's staff, the actor; + "for_user_id")
- room.joined        {"room_id", "participant_id", "seat", "state": "lobby"|"admitted", "rejoin": bool}
- room.admitted      {"room_id", "participant_id", "seat"}
- room.left          {"room_id", "participant_id", "seat"}
- room.dropped       {"room_id", "participant_id", "seat"}: the connection was lost without leaving
- room.removed       {"room_id", "participant_id", "seat", "reason"}
- room.muted         {"room_id", "participant_id", "seat", "muted": bool}: muted True, unmuted False
- room.camera        {"room_id", "participant_id", "seat", "camera_off": bool}
- room.breakout      {"room_id", "participant_id", "seat", "name"}: moved to a private breakout (caucus)
- room.returned      {"room_id", "participant_id", "seat", "name"}: back from the breakout
- room.sent_to_lobby {"room_id", "participant_id", "seat", "reason"}: admitted → back in the lobby (a witness whose
                     testimony was stopped): the socket leaves the room group and receives nothing of the room again
- room.started       {"room_id"}            open → live
- room.paused        {"room_id"}            live → paused (休庭)
- room.resumed       {"room_id"}            paused → live
- room.closed        {"room_id", "duration_seconds"}
- room.recording_filed, room.patrol_flagged: appended by yunting.core.rooms.media
"""

OPENED = "room.opened"
INVITED = "room.invited"
VERIFIED = "room.verified"
JOINED = "room.joined"
ADMITTED = "room.admitted"
LEFT = "room.left"
DROPPED = "room.dropped"
REMOVED = "room.removed"
MUTED = "room.muted"
CAMERA = "room.camera"
BREAKOUT = "room.breakout"
RETURNED = "room.returned"
SENT_TO_LOBBY = "room.sent_to_lobby"
STARTED = "room.started"
PAUSED = "room.paused"
RESUMED = "room.resumed"
CLOSED = "room.closed"
RECORDING_FILED = "room.recording_filed"
PATROL_FLAGGED = "room.patrol_flagged"

"""The demo's recording and patrol: in the demo hearing room (rooms' demo), the plaintiff's recording — a
generated 40 s clip in which they leave the frame for 12 s, a second person appears and there is a loud noise —
is uploaded in chunks as the courtroom page would, filed in the e-file, and patrolled with the court's
thresholds; its suspicions wait on /rooms-media/patrol/ for the clerk or judge to confirm or dismiss. Run again,
it adds nothing."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable

from .synth import Script, write_clip

SCRIPT = Script(duration=40, away=[(8, 20)], second_face=[(24, 28)], loud=[(31, 33)])


def rooms_media_demo(*, orgs=None, users=None, progress: Callable[[str], None] = lambda s: None) -> dict:
    from yunting.core.rooms.demo import TITLE
    from yunting.core.rooms.models import Participant, Room

    from . import services
    from .models import PatrolEvent, RecordingSession

    room = Room.objects.filter(title=TITLE).first()
    if room is None:
        progress("rooms media: no demo hearing room; nothing to record")
        return {"created": False}
    if RecordingSession.objects.filter(room=room).exists():
        progress("rooms media: demo recording already present; nothing to add")
        return {"created": False}
    seat = Participant.objects.get(room=room, seat="plaintiff")
    with tempfile.TemporaryDirectory(prefix="yt-demo-rec-") as tmp:
        data = open(write_clip(os.path.join(tmp, "demo.webm"), SCRIPT), "rb").read()  # noqa: SIM115
    session = services.recording_start(participant=seat)
    size = len(data) // 4 + 1
    for seq, at in enumerate(range(0, len(data), size)):  # as MediaRecorder's timeslices arrive
        services.recording_chunk_receive(session=session, seq=seq, stream=io.BytesIO(data[at:at + size]))
    session = services.recording_finish(session=session, actor=seat.user)
    run = services.patrol_run(session_id=session.pk)  # the worker would do it; the demo does not wait for one
    events = PatrolEvent.objects.filter(run=run).count()
    progress(f"rooms media: plaintiff's recording filed in {room.case.number} ({len(data) // 1024} KB), "
             f"patrol raised {events} suspicions awaiting a decision (/rooms-media/patrol/)")
    return {"created": True, "session_id": session.pk, "events": events}

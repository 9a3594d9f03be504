"""Reactions to room entries (run after commit, in the background, once per entry)."""

from __future__ import annotations


def on_room_closed(entry) -> None:
    """room.closed: every recording of the room still open is assembled and filed, whether or not its page
    said stop (a killed tab never does)."""
    from .services import recordings_file_room

    recordings_file_room(room_id=int(entry.payload["room_id"]))


def on_recording_filed(entry) -> None:
    """room.recording_filed: the discipline patrol analyses the recording in its own background job (after this
    delivery commits), not inside the delivery's transaction: a long hearing takes minutes to analyse."""
    from django.db import transaction

    from .tasks import patrol_recording

    session_id = int(entry.payload["session_id"])
    transaction.on_commit(lambda: patrol_recording.enqueue(session_id=session_id))

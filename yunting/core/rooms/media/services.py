"""Recording and patrol, the writes.

Recording: the page's MediaRecorder makes a chunk every few seconds and uploads it at once (chunk n of
participant p's recording session s). Chunks are media, taken through a bounded, checked chunk path: each chunk
is size-bounded, chunk 0 must prove by its magic bytes a media container (WebM, MP4, Ogg), no later chunk may
prove any other known type, and a session has a total size bound. Everything received is kept, so a lost
connection or a killed tab loses at most the chunk being made. When the page stops, when the room closes, or
after an hour without chunks, the chunks are joined in order into one blob, which is filed in the e-file (正卷 or
副卷 as the room's activity says) by the entry `room.recording_filed`: its SHA-256 enters the entry's hash and the
court's ledger in the same transaction.

Patrol: `patrol_run` analyses a filed recording (patrol.analyse) with the court's thresholds and records each
suspicion; if there are any, `room.patrol_flagged`. Staff confirm or dismiss each one; a confirmation produces a
notice to the bar association (PDF, fonts embedded), filed in the 副卷 with `room.patrol_confirmed`.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.journal.services import DocumentInput, journal_append
from yunting.core.rooms.choices import PRESENT_STATES, FileVolume, ParticipantState, RoomState
from yunting.core.rooms.models import Participant
from yunting.kernel.common.errors import Conflict, NotFound, ValidationFailed

from . import patrol
from .models import (
    EventState,
    PatrolEvent,
    PatrolRun,
    PatrolSettings,
    PatrolState,
    RecordingChunk,
    RecordingSession,
    RecordingState,
)

log = logging.getLogger(__name__)
MB = 1024 * 1024
MEDIA_TYPES = frozenset({"video/webm", "audio/webm", "video/mp4", "audio/mp4", "audio/ogg", "video/quicktime"})
RECORDING_FILED, PATROL_FLAGGED = "room.recording_filed", "room.patrol_flagged"
PATROL_CONFIRMED, PATROL_DISMISSED = "room.patrol_confirmed", "room.patrol_dismissed"
STALE_AFTER = timedelta(hours=1)
KIND_LABELS = {
    patrol.OUT_OF_FRAME: "离开画面", patrol.EXTRA_PERSON: "画面中有他人", patrol.CAMERA_COVERED: "摄像头被遮挡或黑屏",
    patrol.LOUD_NOISE: "异常喧哗或噪声", patrol.SILENCE: "长时间无声或掉线",
}


def chunk_max_bytes() -> int:
    return int(getattr(settings, "ROOMS_RECORDING_CHUNK_MAX_MB", 8)) * MB


def session_max_bytes() -> int:
    return int(getattr(settings, "ROOMS_RECORDING_MAX_MB", 4096)) * MB


def max_chunks() -> int:
    return int(getattr(settings, "ROOMS_RECORDING_MAX_CHUNKS", 20000))


# --- recording -----------------------------------------------------------------------------------------------
@transaction.atomic
def recording_start(*, participant: Participant) -> RecordingSession:
    """A new recording session for a participant who is in the room now."""
    participant = Participant.objects.select_for_update().select_related("room").get(pk=participant.pk)
    if participant.state not in PRESENT_STATES or participant.room.state == RoomState.CLOSED:
        raise Conflict(_("Only a participant who is in the room can record."), code="recording_not_present")
    return RecordingSession.objects.create(room=participant.room, participant=participant)


def recording_for(*, participant: Participant, session_id) -> RecordingSession:
    """The participant's own recording session; another's or none is the same NotFound."""
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        pk = 0
    found = RecordingSession.objects.filter(pk=pk, participant=participant).first()
    if found is None:
        raise NotFound(_("No such recording."), code="recording_not_found")
    return found


def recording_chunk_receive(*, session: RecordingSession, seq: int, stream: BinaryIO) -> RecordingChunk:
    """Store chunk `seq` of a session. Sending the same chunk again is harmless (a retry after a lost answer);
    different bytes under a number already taken are refused. Refused chunks change nothing."""
    from yunting.kernel.blobs.references import blob_delete_unreferenced
    from yunting.kernel.blobs.sniff import sniff_mime
    from yunting.kernel.blobs.store import blob_put

    if not isinstance(seq, int) or seq < 0 or seq >= max_chunks():
        raise ValidationFailed(_("Invalid chunk number."), code="chunk_seq", data={"max": max_chunks() - 1})
    session.refresh_from_db()
    if session.state != RecordingState.RECORDING:
        raise Conflict(_("This recording is finished; start a new one."), code="recording_finished")
    if session.participant.state == ParticipantState.REMOVED or session.room.state == RoomState.CLOSED:
        raise Conflict(_("Only a participant who is in the room can record."), code="recording_not_present")
    room_left = session_max_bytes() - session.bytes_received
    limit = min(chunk_max_bytes(), room_left)
    if limit <= 0:
        raise ValidationFailed(_("The recording has reached its size limit."), code="recording_too_large")
    # the bytes' type: proved here, not taken from the request
    blob = blob_put(stream, max_bytes=limit, mime_type="application/octet-stream")
    try:
        from yunting.kernel.blobs.store import blob_open

        with blob_open(blob.sha256) as fh:
            head = fh.read(8192)
        detected = sniff_mime(head)
        taken = RecordingChunk.objects.filter(session=session, seq=seq).first()
        if taken is not None and taken.blob_id != blob.sha256:
            raise Conflict(_("Chunk %(n)d was already received with other content.") % {"n": seq},
                           code="chunk_exists", data={"seq": seq})
        if seq == 0 and detected not in MEDIA_TYPES:
            raise ValidationFailed(_("The first chunk of a recording must be audio or video (WebM, MP4 or Ogg)."),
                                   code="chunk_type", data={"detected": detected})
        if seq > 0 and detected not in ("application/octet-stream", session.mime_type or detected):
            raise ValidationFailed(_("This chunk is not part of an audio or video recording."), code="chunk_type",
                                   data={"detected": detected})
        with transaction.atomic():
            locked = RecordingSession.objects.select_for_update().get(pk=session.pk)
            if locked.state != RecordingState.RECORDING:
                raise Conflict(_("This recording is finished; start a new one."), code="recording_finished")
            existing = RecordingChunk.objects.filter(session=locked, seq=seq).first()
            if existing is not None:
                if existing.blob_id != blob.sha256:
                    raise Conflict(_("Chunk %(n)d was already received with other content.") % {"n": seq},
                                   code="chunk_exists", data={"seq": seq})
                return existing
            chunk = RecordingChunk.objects.create(session=locked, seq=seq, blob=blob, size=blob.size)
            locked.chunk_count += 1
            locked.bytes_received += blob.size
            locked.last_chunk_at = timezone.now()
            if seq == 0:
                locked.mime_type = detected
            locked.save(update_fields=["chunk_count", "bytes_received", "last_chunk_at", "mime_type"])
            return chunk
    except BaseException:
        transaction.on_commit(lambda: blob_delete_unreferenced({blob.sha256}))
        raise


def _section(case, volume: str) -> str:
    from yunting.core.efile.services import section_for

    kind = "hearing_transcript" if volume == FileVolume.MAIN else "secondary_other"
    return section_for(case_type_id=case.case_type_id, kind=kind).code


def _assemble(session: RecordingSession):
    """Join the chunks in order into one stored blob (None when nothing usable was received)."""
    from yunting.kernel.blobs.store import blob_open, blob_put

    chunks = list(session.chunks.order_by("seq"))
    if not chunks or chunks[0].seq != 0:
        return None, [c.seq for c in chunks]
    seqs = [c.seq for c in chunks]
    missing = sorted(set(range(seqs[-1] + 1)) - set(seqs))
    with tempfile.TemporaryFile(dir=settings.BLOB_TMP_DIR) as out:
        for c in chunks:
            with blob_open(c.blob_id) as fh:
                while data := fh.read(1024 * 1024):
                    out.write(data)
        out.seek(0)
        blob = blob_put(out, max_bytes=session_max_bytes(), allowed=set(MEDIA_TYPES))
    return blob, missing


def recording_file(*, session_id: int, actor=None) -> RecordingSession:
    """Assemble a session's chunks and file the recording (idempotent: a filed session is left alone)."""
    from yunting.kernel.blobs.references import blob_delete_unreferenced

    session = RecordingSession.objects.select_related("room__case", "participant").get(pk=session_id)
    if session.state != RecordingState.RECORDING:
        return session
    blob, missing = _assemble(session)
    with transaction.atomic():
        locked = RecordingSession.objects.select_for_update().select_related("room__case", "participant").get(
            pk=session.pk)
        if locked.state != RecordingState.RECORDING:
            return locked
        now = timezone.now()
        locked.filed_at, locked.missing = now, missing
        if blob is None:
            locked.state = RecordingState.EMPTY
            locked.save(update_fields=["state", "filed_at", "missing"])
            return locked
        room, p = locked.room, locked.participant
        volume = room.file_volume
        local = timezone.localtime(locked.started_at)
        title = f"{room.get_activity_display()}录像（{p.get_seat_display()}）{local:%Y-%m-%d %H:%M}"
        ext = "mp4" if "mp4" in blob.mime_type else "webm"
        entry = journal_append(
            case=room.case, kind=RECORDING_FILED, actor=actor if getattr(actor, "pk", None) else None,
            payload={"room_id": room.pk, "participant_id": p.pk, "seat": p.seat, "session_id": locked.pk,
                     "sha256": blob.sha256, "size": blob.size, "mime_type": blob.mime_type,
                     "chunks": locked.chunk_count, "missing": missing, "file_volume": volume},
            documents=[DocumentInput(sha256=blob.sha256, title=title[:300], kind="hearing_recording",
                                     section=_section(room.case, volume),
                                     filename=f"recording-{room.pk}-{p.pk}-{locked.pk}.{ext}")])
        locked.state, locked.blob, locked.entry_id_filed = RecordingState.FILED, blob, entry.pk
        locked.save(update_fields=["state", "blob", "entry_id_filed", "filed_at", "missing"])
        chunk_blobs = set(locked.chunks.values_list("blob_id", flat=True)) - {blob.sha256}
        locked.chunks.all().delete()  # the assembled blob holds every byte they held
    transaction.on_commit(lambda: blob_delete_unreferenced(chunk_blobs))
    return locked


def recording_finish(*, session: RecordingSession, actor=None) -> RecordingSession:
    return recording_file(session_id=session.pk, actor=actor)


def recordings_file_room(*, room_id: int) -> int:
    """File every recording of a room still open (the room closed; pages may have been killed)."""
    ids = list(RecordingSession.objects.filter(room_id=room_id, state=RecordingState.RECORDING)
               .values_list("pk", flat=True))
    for pk in ids:
        recording_file(session_id=pk)
    return len(ids)


def recordings_assemble_stale() -> int:
    """Periodic: recordings that got no chunk for an hour (the page went away) are filed."""
    cutoff = timezone.now() - STALE_AFTER
    ids = list(RecordingSession.objects.filter(state=RecordingState.RECORDING, last_chunk_at__lt=cutoff)
               .values_list("pk", flat=True)[:200])
    for pk in ids:
        try:
            recording_file(session_id=pk)
        except Exception:  # the next round tries again
            log.exception("could not file recording %s", pk)
    return len(ids)


# --- patrol ----------------------------------------------------------------------------------------------------
def thresholds_for(court) -> patrol.Thresholds:
    s = PatrolSettings.objects.filter(court=court).first()
    if s is None:
        return patrol.Thresholds()
    return patrol.Thresholds(out_of_frame_s=s.out_of_frame_s, extra_person_s=s.extra_person_s,
                             covered_s=s.covered_s, loud_s=s.loud_s, loud_dbfs=s.loud_dbfs,
                             silence_s=s.silence_s, silence_dbfs=s.silence_dbfs)


def patrol_slice_seconds() -> float:
    """Wall-clock time one background job may spend analysing: well inside the worker's job timeout (RQ kills a
    job after RQ_QUEUES' DEFAULT_TIMEOUT, 600 s here), so a three-hour hearing is analysed in several jobs."""
    return float(getattr(settings, "ROOMS_PATROL_SLICE_S", 240))


def patrol_step(*, session_id: int, budget_s: float | None = None) -> PatrolRun:
    """Analyse a filed recording for at most `budget_s` seconds (None: to the end), outside any transaction.
    Unfinished, the measurements so far are saved on the run and the caller enqueues the next slice; finished,
    the suspicions are recorded. Two jobs racing on one run: the one whose slice count is stale loses its save."""
    import time

    from yunting.kernel.blobs.store import blob_open

    session = RecordingSession.objects.select_related("room__case", "participant").get(pk=session_id)
    run, _created = PatrolRun.objects.get_or_create(session=session)
    if run.state != PatrolState.PENDING or session.blob_id is None:
        return run
    th = thresholds_for(session.room.case.court)
    deadline = None if budget_s is None else time.monotonic() + max(budget_s, 1.0)
    try:
        with blob_open(session.blob_id) as fh:
            progress = patrol.analyse_slice(fh, th, patrol.Progress.from_dict(run.progress), deadline=deadline)
    except Exception as exc:  # noqa: BLE001 (an unreadable recording is reported, not retried forever)
        log.exception("patrol of recording %s failed", session.pk)
        PatrolRun.objects.filter(pk=run.pk, state=PatrolState.PENDING).update(
            state=PatrolState.FAILED, error=str(exc)[:300], finished_at=timezone.now(), thresholds=th.as_dict())
        run.refresh_from_db()
        return run
    if not progress.done:
        PatrolRun.objects.filter(pk=run.pk, state=PatrolState.PENDING, slices=run.slices).update(
            progress=progress.as_dict(), slices=run.slices + 1)
        run.refresh_from_db()
        return run
    result = patrol.finish(progress, th)
    with transaction.atomic():
        run = PatrolRun.objects.select_for_update().get(pk=run.pk)
        if run.state != PatrolState.PENDING:
            return run
        events = PatrolEvent.objects.bulk_create([
            PatrolEvent(run=run, room=session.room, participant=session.participant, kind=s.kind,
                        start_s=s.start_s, end_s=s.end_s, detail=s.detail) for s in result.suspicions])
        events = list(PatrolEvent.objects.filter(run=run).order_by("start_s", "id"))  # ids on every database
        run.state, run.thresholds, run.duration_s = PatrolState.DONE, th.as_dict(), result.duration_s
        run.frames, run.finished_at, run.progress = result.frames_looked_at, timezone.now(), {}
        run.slices += 1
        run.save(update_fields=["state", "thresholds", "duration_s", "frames", "finished_at", "progress", "slices"])
        if events:
            journal_append(case=session.room.case, kind=PATROL_FLAGGED, payload={
                "room_id": session.room_id, "participant_id": session.participant_id,
                "seat": session.participant.seat, "session_id": session.pk,
                "events": [{"id": e.pk, "kind": e.kind, "start_ms": round(e.start_s * 1000),
                            "end_ms": round(e.end_s * 1000)} for e in events]})
    return run


def patrol_run(*, session_id: int) -> PatrolRun:
    """Analyse a filed recording to the end in this process (idempotent: a finished analysis is not repeated)."""
    return patrol_step(session_id=session_id, budget_s=None)


def timecode(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _notice_pdf(event: PatrolEvent, note: str) -> bytes:
    from yunting.kernel.pdf.make import simple_pdf

    room, p = event.room, event.participant
    case = room.case
    addressee = getattr(PatrolSettings.objects.filter(court=case.court).first(), "bar_association", "律师协会")
    local = timezone.localtime(event.run.session.started_at)
    body = (f"{addressee}：\n"
            f"本院在审理{case.number}一案时，于{local:%Y年%m月%d日}进行在线{room.get_activity_display()}。"
            f"经庭审智能巡查系统提示并由本院工作人员核实，{p.get_seat_display()}{p.display_name or ''}"
            f"在录像{timecode(event.start_s)}至{timecode(event.end_s)}期间存在"
            f"“{KIND_LABELS.get(event.kind, event.kind)}”的情形，违反在线庭审纪律。\n"
            f"核实意见：{note or '无'}\n"
            f"现将有关情况及录像时间节点函告贵会，请依照行业规范调查处理，并将处理结果书面反馈本院。\n"
            f"录像校验值（SHA-256）：{event.run.session.blob_id}\n")
    court = getattr(case.court, "name", "")
    body += f"\n{court}\n{timezone.localdate():%Y年%m月%d日}"
    return simple_pdf(title="在线庭审纪律问题通报函", subtitle=case.number, body=body)


def patrol_event_decide(*, event: PatrolEvent, actor, confirm: bool, note: str = "") -> PatrolEvent:
    """Staff confirm or dismiss a suspicion (once). A confirmation generates the notice to the bar association
    and files it in the 副卷; both are journal entries, so the decision is part of the case's trail."""
    from yunting.kernel.blobs.store import blob_put_bytes

    note = (note or "").strip()[:500]
    event = PatrolEvent.objects.select_related("room__case__court", "participant", "run__session").get(pk=event.pk)
    if event.state != EventState.SUSPECTED:
        raise Conflict(_("This suspicion has already been decided."), code="patrol_decided")
    pdf = blob_put_bytes(_notice_pdf(event, note), allowed={"application/pdf"}) if confirm else None
    with transaction.atomic():
        locked = PatrolEvent.objects.select_for_update().get(pk=event.pk)
        if locked.state != EventState.SUSPECTED:
            raise Conflict(_("This suspicion has already been decided."), code="patrol_decided")
        locked.state = EventState.CONFIRMED if confirm else EventState.DISMISSED
        locked.decided_by, locked.decided_at, locked.note = actor, timezone.now(), note
        docs = []
        if pdf is not None:
            locked.notice_sha256 = pdf.sha256
            docs = [DocumentInput(sha256=pdf.sha256, title="在线庭审纪律问题通报函", kind="patrol_notice",
                                  section=_section(event.room.case, FileVolume.SECONDARY),
                                  filename=f"patrol-notice-{locked.pk}.pdf")]
        locked.save(update_fields=["state", "decided_by", "decided_at", "note", "notice_sha256"])
        journal_append(case=event.room.case, kind=PATROL_CONFIRMED if confirm else PATROL_DISMISSED, actor=actor,
                       payload={"room_id": event.room_id, "participant_id": event.participant_id,
                                "seat": event.participant.seat, "event_id": locked.pk, "kind": locked.kind,
                                "start_ms": round(locked.start_s * 1000), "end_ms": round(locked.end_s * 1000),
                                "note": note},
                       documents=docs)
    event.refresh_from_db()
    return event

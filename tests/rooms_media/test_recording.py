"""Recording in chunks: what the page uploaded survives a killed tab, bad chunks change nothing, the assembled
recording is filed in the e-file with its SHA-256 in the journal, and the patrol's suspicions are decided by staff."""

import hashlib
import io

import av
import pytest

from yunting.core.efile.models import Document
from yunting.core.journal.models import JournalEntry
from yunting.core.rooms import services as rooms
from yunting.core.rooms.media import services as media
from yunting.core.rooms.media.models import PatrolEvent, PatrolSettings, RecordingChunk, RecordingSession
from yunting.kernel.blobs.store import blob_read
from yunting.kernel.common.errors import ApplicationError


def pdf_text_and_fonts(pdf: bytes):
    """The text, and for each font whether its program is embedded (FontFile, FontFile2 or FontFile3)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            embedded.append(any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    return text, embedded


def pieces(path, n=6):
    data = open(path, "rb").read()
    size = len(data) // n + 1
    return data, [data[i:i + size] for i in range(0, len(data), size)]


def test_a_killed_tab_loses_nothing_uploaded(present, users, scripted_clip, django_capture_on_commit_callbacks):
    data, chunks = pieces(scripted_clip)
    session = media.recording_start(participant=present)
    for seq, chunk in enumerate(chunks[:-1]):  # the tab is killed while the last chunk is being made
        media.recording_chunk_receive(session=session, seq=seq, stream=io.BytesIO(chunk))
    media.recording_chunk_receive(session=session, seq=1, stream=io.BytesIO(chunks[1]))  # a retry: harmless
    with django_capture_on_commit_callbacks(execute=True):
        rooms.room_close(present.room, actor=users["judge"])
    session.refresh_from_db()
    assert session.state == "filed" and session.missing == []
    kept = blob_read(session.blob_id)
    assert kept == b"".join(chunks[:-1])  # every uploaded chunk, in order
    with av.open(io.BytesIO(kept)) as box:  # and it plays up to the lost chunk
        frames = sum(1 for _ in box.decode(video=0))
    assert frames > 400
    entry = JournalEntry.objects.get(case=present.room.case, kind="room.recording_filed")
    assert entry.payload["sha256"] == hashlib.sha256(kept).hexdigest() == session.blob_id
    doc = Document.objects.get(entry=entry)
    assert doc.section.volume == "main" and doc.section.code == "06"  # a hearing: 正卷, 庭审与调解
    assert not RecordingChunk.objects.filter(session=session).exists()


def test_patrol_flags_the_filed_recording_and_staff_decide(present, users, scripted_clip,
                                                           django_capture_on_commit_callbacks):
    PatrolSettings.objects.create(court=present.room.case.court, out_of_frame_s=4, silence_s=5)
    data, chunks = pieces(scripted_clip, 3)
    session = media.recording_start(participant=present)
    for seq, chunk in enumerate(chunks):
        media.recording_chunk_receive(session=session, seq=seq, stream=io.BytesIO(chunk))
    with django_capture_on_commit_callbacks(execute=True):
        media.recording_finish(session=session, actor=users["plaintiff"])
    events = list(PatrolEvent.objects.filter(run__session=session).order_by("start_s"))
    assert {e.kind for e in events} == {"out_of_frame", "extra_person", "loud_noise", "camera_covered", "silence"}
    flagged = JournalEntry.objects.get(case=present.room.case, kind="room.patrol_flagged")
    assert [e["id"] for e in flagged.payload["events"]] == [e.pk for e in events]

    loud = next(e for e in events if e.kind == "loud_noise")
    media.patrol_event_decide(event=loud, actor=users["clerk"], confirm=True, note="代理人在庭审中大声喧哗")
    loud.refresh_from_db()
    assert loud.state == "confirmed" and loud.notice_sha256
    notice = Document.objects.get(blob_id=loud.notice_sha256)
    assert notice.section.volume == "secondary"
    pdf = blob_read(loud.notice_sha256)
    text, embedded = pdf_text_and_fonts(pdf)
    assert "在线庭审纪律问题通报函" in text and "00:00:22" in text and "异常喧哗" in text
    assert embedded and all(embedded)  # every font embedded

    quiet = next(e for e in events if e.kind == "silence")
    media.patrol_event_decide(event=quiet, actor=users["clerk"], confirm=False, note="网络掉线")
    with pytest.raises(ApplicationError) as exc:
        media.patrol_event_decide(event=quiet, actor=users["clerk"], confirm=True)
    assert exc.value.code == "patrol_decided"
    assert [e.kind for e in JournalEntry.objects.filter(case=present.room.case, kind__startswith="room.patrol_")
            .order_by("seq")] == ["room.patrol_flagged", "room.patrol_confirmed", "room.patrol_dismissed"]


def test_bad_chunks_change_nothing(present, scripted_clip, settings):
    session = media.recording_start(participant=present)
    pdf = b"%PDF-1.4\n" + b"x" * 2000
    for seq, body, code in [(0, pdf, "chunk_type"), (0, b"\x00" * 100, "chunk_type"), (-1, b"x", "chunk_seq")]:
        with pytest.raises(ApplicationError) as exc:
            media.recording_chunk_receive(session=session, seq=seq, stream=io.BytesIO(body))
        assert exc.value.code == code
    data, chunks = pieces(scripted_clip)
    media.recording_chunk_receive(session=session, seq=0, stream=io.BytesIO(chunks[0]))
    with pytest.raises(ApplicationError) as exc:  # a PDF smuggled in as chunk 1
        media.recording_chunk_receive(session=session, seq=1, stream=io.BytesIO(pdf))
    assert exc.value.code == "chunk_type"
    with pytest.raises(ApplicationError) as exc:  # another body under a number already taken
        media.recording_chunk_receive(session=session, seq=0, stream=io.BytesIO(chunks[1]))
    assert exc.value.code == "chunk_exists"
    settings.ROOMS_RECORDING_CHUNK_MAX_MB = 0
    with pytest.raises(ApplicationError) as exc:
        media.recording_chunk_receive(session=session, seq=1, stream=io.BytesIO(chunks[1]))
    assert exc.value.code in ("recording_too_large", "upload_too_large")
    session.refresh_from_db()
    assert session.chunk_count == 1 and list(session.chunks.values_list("seq", flat=True)) == [0]


def test_only_a_participant_in_the_room_records(hearing, users, seat_of):
    lobby = seat_of(hearing, users["defendant"])
    with pytest.raises(ApplicationError) as exc:
        media.recording_start(participant=lobby)
    assert exc.value.code == "recording_not_present"
    assert not RecordingSession.objects.exists()


def test_mediation_recordings_go_to_the_secondary_volume(room_case, users, ready, scripted_clip,
                                                         django_capture_on_commit_callbacks):
    room = rooms.room_open(room_case, "mediation", users["judge"], [(users["plaintiff"], "plaintiff")])
    host = ready(room, users["judge"])
    rooms.participant_join(participant=host)
    session = media.recording_start(participant=host)
    data, chunks = pieces(scripted_clip, 2)
    for seq, chunk in enumerate(chunks):
        media.recording_chunk_receive(session=session, seq=seq, stream=io.BytesIO(chunk))
    with django_capture_on_commit_callbacks(execute=True):
        media.recording_finish(session=session)
    entry = JournalEntry.objects.get(case=room_case, kind="room.recording_filed")
    assert Document.objects.get(entry=entry).section.volume == "secondary"


def test_chunks_over_http_only_for_ones_own_seat(present, users, scripted_clip, client):
    data, chunks = pieces(scripted_clip, 3)
    client.force_login(users["plaintiff"])
    made = client.post(f"/rooms-media/{present.room_id}/recordings/")
    assert made.status_code == 201
    sid = made.json()["id"]
    for seq, chunk in enumerate(chunks):
        r = client.post(f"/rooms-media/recordings/{sid}/chunks/{seq}", data=chunk,
                        content_type="application/octet-stream")
        assert r.status_code == 200 and r.json()["seq"] == seq
    client.force_login(users["defendant"])  # in the case, but not this recording's participant
    r = client.post(f"/rooms-media/recordings/{sid}/chunks/9", data=chunks[0], content_type="application/octet-stream")
    assert r.status_code == 404
    assert client.post(f"/rooms-media/{present.room_id}/recordings/").status_code == 409  # in the lobby
    client.force_login(users["plaintiff"])
    done = client.post(f"/rooms-media/recordings/{sid}/finish")
    assert done.json()["state"] == "filed" and done.json()["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_long_patrol_runs_in_slices_of_background_jobs(present, users, scripted_clip, settings,
                                                         django_capture_on_commit_callbacks):
    """Each job stops at its time budget (inside the worker's job timeout) and enqueues the next; the flagged
    suspicions are the same as one pass's."""
    from yunting.core.rooms.media.models import PatrolRun

    settings.ROOMS_PATROL_SLICE_S = 1
    PatrolSettings.objects.create(court=present.room.case.court, out_of_frame_s=4, silence_s=5)
    data, chunks = pieces(scripted_clip, 2)
    session = media.recording_start(participant=present)
    for seq, chunk in enumerate(chunks):
        media.recording_chunk_receive(session=session, seq=seq, stream=io.BytesIO(chunk))
    with django_capture_on_commit_callbacks(execute=True):
        media.recording_finish(session=session, actor=users["plaintiff"])
    run = PatrolRun.objects.get(session=session)
    assert run.state == "done" and run.slices > 1 and run.progress == {}
    assert {e.kind for e in PatrolEvent.objects.filter(run=run)} == {
        "out_of_frame", "extra_person", "loud_noise", "camera_covered", "silence"}
    assert JournalEntry.objects.filter(case=present.room.case, kind="room.patrol_flagged").count() == 1

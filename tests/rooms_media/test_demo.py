import pytest

from yunting.core.rooms.demo import TITLE, rooms_demo
from yunting.core.rooms.media.demo import rooms_media_demo
from yunting.core.rooms.media.models import PatrolEvent, RecordingSession

pytestmark = pytest.mark.django_db


def test_demo_recording_is_filed_and_its_suspicions_await_staff(cast):
    from yunting.core.efile.models import Document
    from yunting.core.journal.models import JournalEntry

    orgs, users = cast
    assert rooms_media_demo(orgs=orgs, users=users)["created"] is False  # no room yet: nothing to record
    rooms_demo(orgs=orgs, users=users, password="pw-for-tests-123")
    made = rooms_media_demo(orgs=orgs, users=users)
    session = RecordingSession.objects.get(pk=made["session_id"])
    assert session.state == "filed" and session.participant.seat == "plaintiff" and session.room.title == TITLE
    filed = JournalEntry.objects.get(case=session.room.case, kind="room.recording_filed")
    assert Document.objects.get(entry=filed).blob_id == session.blob_id
    events = PatrolEvent.objects.filter(run__session=session)
    assert {(e.kind, e.state) for e in events} == {("out_of_frame", "suspected"), ("extra_person", "suspected"),
                                                     ("loud_noise", "suspected")}
    assert JournalEntry.objects.filter(case=session.room.case, kind="room.patrol_flagged").count() == 1
    assert rooms_media_demo(orgs=orgs, users=users)["created"] is False
    assert RecordingSession.objects.count() == 1 and events.count() == 3

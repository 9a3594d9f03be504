"""Testimony: identity checked twice (the second after the call), the oath signed into the e-file as the witness's
own document, the designated place, stop on interference, dismissal, a separate session."""

import pytest

from yunting.core.journal.models import JournalEntry
from yunting.core.journal.services import journal_append
from yunting.core.rooms.models import Participant
from yunting.kernel.common.errors import ApplicationError
from yunting.workflows.witnesses import services

from .conftest import strokes, verify_again

pytestmark = pytest.mark.django_db


@pytest.fixture
def judge(users, room_case, access_for):
    return {"access": access_for(users["judge"], room_case), "actor": users["judge"]}


def test_witness_waits_in_the_lobby_after_the_first_check(seated):
    app, p = seated
    assert app.stage == "waiting" and p.seat == "witness" and p.verified_at is not None
    assert p.state == "invited"


def _enter_lobby(p):
    from yunting.core.rooms.services import participant_join

    return participant_join(participant=p)


def test_admission_needs_a_second_identity_check_after_the_call_and_the_oath(seated, judge, room_case):
    app, p = seated
    with pytest.raises(ApplicationError) as info:
        services.witness_call(**judge, application=app)  # not connected: not in the waiting room
    assert info.value.code == "witness_state"
    p = _enter_lobby(p)
    app = services.witness_call(**judge, application=app)
    assert app.stage == "called"
    # the first check (before the call) does not count
    with pytest.raises(ApplicationError) as info:
        services.witness_admit(**judge, application=app)
    assert info.value.code == "witness_second_check_missing"
    with pytest.raises(ApplicationError) as info:
        services.witness_oath_sign(participant=p, strokes_png=strokes())
    assert info.value.code == "witness_second_check_missing"
    p = verify_again(p)
    assert p.verified_at > app.called_at
    with pytest.raises(ApplicationError) as info:
        services.witness_admit(**judge, application=app)
    assert info.value.code == "witness_oath_missing"
    services.witness_oath_sign(participant=p, strokes_png=strokes())
    app = services.witness_admit(**judge, application=app)
    p.refresh_from_db()
    assert app.stage == "testifying" and p.state == "admitted"
    entry = JournalEntry.objects.get(case=room_case, kind="witnesses.admitted")
    assert entry.payload["participant_id"] == p.pk and entry.payload["verified_at"] == p.verified_at.isoformat()
    assert JournalEntry.objects.filter(case=room_case, kind="room.verified", payload__participant_id=p.pk).count() == 2


def _called_and_verified(seated, judge):
    app, p = seated
    p = _enter_lobby(p)
    app = services.witness_call(**judge, application=app)
    return app, verify_again(p)


def test_oath_lands_in_the_efile_as_the_witness_own_document(seated, judge, room_case):
    from tests.rooms_media.test_recording import pdf_text_and_fonts
    from yunting.core.efile.models import Document
    from yunting.core.efile.provenance import document_provenance
    from yunting.kernel.blobs.store import blob_read

    app, p = _called_and_verified(seated, judge)
    with pytest.raises(ApplicationError) as info:
        services.witness_oath_sign(participant=p, strokes_png=b"not a png")
    assert info.value.data["field"] == "strokes"
    assert not Document.objects.filter(case=room_case, title__startswith="证人保证书").exists()
    app = services.witness_oath_sign(participant=p, strokes_png=strokes())
    doc = Document.objects.get(case=room_case, title="证人保证书（钱多多）")
    assert doc.blob_id == app.oath_sha256 and doc.entry.kind == "witnesses.oath_signed"
    provenance = document_provenance(doc.blob_id, doc.entry_id)
    assert provenance.issued_by == "party" and provenance.sealed is False  # never court-issued
    text, embedded = pdf_text_and_fonts(blob_read(doc.blob_id))
    assert "证人保证书" in text and "如实陈述" in text and embedded and all(embedded)


def test_designated_place_needs_the_points_presence_confirmation(seated, judge, room_case, users):
    app, p = _called_and_verified(seated, judge)
    app.designated_place_required = True
    app.save()
    services.witness_oath_sign(participant=p, strokes_png=strokes())
    with pytest.raises(ApplicationError) as info:
        services.witness_admit(**judge, application=app)
    assert info.value.code == "witness_designated_place"
    # a confirmation for someone else, or not alone, does not count
    payload = {"point_id": 7, "session_kind": "witness", "room_id": p.room_id, "participant_id": p.pk + 1000,
               "person_name": "钱多多", "alone": True, "staff_user_id": users["point_staff"].pk}
    journal_append(case=room_case, kind="sharedcourt.presence_confirmed", payload=payload)
    journal_append(case=room_case, kind="sharedcourt.presence_confirmed",
                   payload=payload | {"participant_id": p.pk, "alone": False})
    with pytest.raises(ApplicationError):
        services.witness_admit(**judge, application=app)
    journal_append(case=room_case, kind="sharedcourt.presence_confirmed", payload=payload | {"participant_id": p.pk})
    app = services.witness_admit(**judge, application=app)
    assert app.stage == "testifying"
    assert JournalEntry.objects.get(case=room_case, kind="witnesses.admitted").payload["place"] == "point:7"


def test_designated_place_at_another_court(seated, judge, room_case):
    app, p = _called_and_verified(seated, judge)
    app.designated_place_required = True
    app.save()
    services.witness_oath_sign(participant=p, strokes_png=strokes())
    with pytest.raises(ApplicationError):
        services.witness_place_record(**judge, application=app, court_name=" ")
    services.witness_place_record(**judge, application=app, court_name="浙江省丽水市莲都区人民法院")
    app = services.witness_admit(**judge, application=app)
    assert JournalEntry.objects.get(case=room_case, kind="witnesses.admitted").payload["place"] == \
        "court:浙江省丽水市莲都区人民法院"


def _testifying(seated, judge):
    app, p = _called_and_verified(seated, judge)
    services.witness_oath_sign(participant=p, strokes_png=strokes())
    return services.witness_admit(**judge, application=app), p


def test_stop_on_interference_moves_the_witness_back_to_the_lobby_and_is_journaled(seated, judge, room_case):
    app, p = _testifying(seated, judge)
    with pytest.raises(ApplicationError) as info:
        services.witness_stop(**judge, application=app, reason="other", text="")
    assert info.value.code == "witness_reason_required"
    app = services.witness_stop(**judge, application=app, reason="prompting", text="画面外有人提示")
    p.refresh_from_db()
    assert app.stage == "waiting" and p.state == "lobby"
    stop = JournalEntry.objects.get(case=room_case, kind="witnesses.stopped")
    assert stop.payload.items() >= {"reason": "prompting", "reason_label": "有人提示证人", "text": "画面外有人提示",
                                 "outcome": "lobby"}.items()
    assert JournalEntry.objects.filter(case=room_case, kind="room.sent_to_lobby").exists()
    # called again: the identity is checked again
    app = services.witness_call(**judge, application=app)
    with pytest.raises(ApplicationError) as info:
        services.witness_admit(**judge, application=app)
    assert info.value.code == "witness_second_check_missing"


def test_stop_and_dismiss_and_read_aloud(seated, judge, room_case):
    app, p = _testifying(seated, judge)
    app = services.witness_read_aloud(**judge, application=app)
    assert app.read_aloud_at is not None
    app = services.witness_stop(**judge, application=app, reason="left_frame", dismiss=True)
    p.refresh_from_db()
    assert app.stage == "dismissed" and p.state == "removed"
    assert JournalEntry.objects.get(case=room_case, kind="witnesses.stopped").payload["outcome"] == "dismissed"


def test_dismissal_removes_the_seat_for_good(seated, judge, room_case, witness_user):
    from yunting.core.rooms.errors import RoomNotFound
    from yunting.core.rooms.selectors import room_seat_for

    app, p = _testifying(seated, judge)
    app = services.witness_dismiss(**judge, application=app)
    p.refresh_from_db()
    assert app.stage == "dismissed" and p.state == "removed"
    with pytest.raises(RoomNotFound):
        room_seat_for(witness_user, p.room_id)


def test_patrol_flags_of_the_witness_seat_are_shown_to_the_judge(seated, judge, room_case):
    from yunting.workflows.witnesses.selectors import patrol_flags

    app, p = seated
    journal_append(case=room_case, kind="room.patrol_flagged", payload={
        "room_id": p.room_id, "participant_id": p.pk, "seat": "witness", "session_id": 1,
        "events": [{"id": 1, "kind": "extra_person", "start_ms": 1000, "end_ms": 4000}]})
    journal_append(case=room_case, kind="room.patrol_flagged", payload={
        "room_id": p.room_id, "participant_id": p.pk + 1, "seat": "plaintiff", "session_id": 2,
        "events": [{"id": 2, "kind": "out_of_frame", "start_ms": 0, "end_ms": 9000}]})
    flags = patrol_flags(app)
    assert [(f["kind"], f["label"], f["start_ms"]) for f in flags] == [("extra_person", "画面中有他人", 1000)]


def test_testimony_in_a_separate_witnessing_session(approved, judge, room_case):
    app = approved()
    p = services.witness_invite(**judge, application=app, separate=True)
    assert p.room.activity == "witnessing" and p.room.case_id == room_case.pk and p.invitation_token
    assert Participant.objects.filter(room=p.room, seat="witness").count() == 1
    assert JournalEntry.objects.get(case=room_case, kind="witnesses.invited").payload["separate_session"] is True


def test_only_the_judge_runs_the_testimony(seated, users, room_case, access_for):
    app, p = seated
    _enter_lobby(p)
    for who in ("plaintiff", "clerk"):
        with pytest.raises(ApplicationError) as info:
            services.witness_call(access=access_for(users[who], room_case), actor=users[who], application=app)
        assert info.value.code == "witness_not_judge"
    app.refresh_from_db()
    assert app.stage == "waiting"


def test_the_oath_strokes_go_through_the_checked_intake(seated, judge, room_case):
    """A drawing stating 13,000 × 13,000 pixels is refused by the intake's check (its Upload row says so) with the
    witness workflow's error and signs nothing; the oath that passes names the blob the intake accepted."""
    import hashlib

    from tests.intake.test_drawn_strokes import strokes_larger_than_any_pad
    from yunting.core.efile.models import Upload, UploadStatus

    app, p = _called_and_verified(seated, judge)
    with pytest.raises(ApplicationError) as info:
        services.witness_oath_sign(participant=p, strokes_png=strokes_larger_than_any_pad())
    assert info.value.code == "witness_invalid" and info.value.data["field"] == "strokes"
    assert "13000×13000" in str(info.value.message)
    refused = Upload.objects.get(pk=info.value.data["upload_id"])
    assert (refused.purpose, refused.status, refused.user_id) == ("witness_oath", UploadStatus.REFUSED, p.user_id)
    assert refused.problems[0]["code"] == "strokes_too_large"
    assert not JournalEntry.objects.filter(case=room_case, kind="witnesses.oath_signed").exists()
    app.refresh_from_db()
    assert app.oath_signed_at is None and not app.oath_strokes_sha256

    png = strokes()
    app = services.witness_oath_sign(participant=p, strokes_png=png)
    accepted = Upload.objects.get(purpose="witness_oath", status=UploadStatus.ACCEPTED)
    entry = JournalEntry.objects.get(case=room_case, kind="witnesses.oath_signed")
    assert entry.payload["strokes_sha256"] == app.oath_strokes_sha256 == accepted.document_id
    assert accepted.document_id == hashlib.sha256(png).hexdigest() and accepted.subject == f"witness:{app.pk}"


def test_a_witness_without_an_account_signs_through_the_seat(approved, hearing_room, users, room_case, judge):
    """An invited outside person has no account to own the upload: it is recorded under the room's host, who
    called them; the journal entry has no actor, as for everything the seat does."""
    from yunting.core.efile.models import Upload, UploadStatus
    from yunting.core.rooms.services import (
        room_acknowledge_rules,
        room_invitation_accept,
        room_verify,
        room_verify_request,
    )

    from .conftest import last_code

    app = approved()
    p = services.witness_invite(**judge, application=app, room=hearing_room)
    p = room_invitation_accept(token=p.invitation_token)  # not signed in
    assert p.user_id is None
    room_acknowledge_rules(participant=p)
    room_verify_request(participant=p)
    room_verify(participant=p, code=last_code(p.room_id))
    app, p = _called_and_verified((app, p), judge)
    app = services.witness_oath_sign(participant=p, strokes_png=strokes())
    upload = Upload.objects.get(purpose="witness_oath")
    assert upload.status == UploadStatus.ACCEPTED and upload.user == hearing_room.host == users["judge"]
    entry = JournalEntry.objects.get(case=room_case, kind="witnesses.oath_signed")
    assert entry.actor is None and entry.payload["strokes_sha256"] == upload.document_id == app.oath_strokes_sha256

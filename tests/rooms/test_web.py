"""The courtroom page through the web: rules, then identity re-verification, then the room; invitation links;
the operations page. Strangers get 404."""

import re

import pytest
from django.test import Client

from yunting.core.journal.models import JournalEntry
from yunting.core.rooms import services as s
from yunting.core.rooms.models import Participant


def login(username):
    from yunting.core.people.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def code_sent():
    from yunting.kernel.notify.models import OutboxMessage

    return re.search(r"\d{6}", OutboxMessage.objects.filter(purpose__startswith="otp:room").latest("id").body).group(0)


def test_party_reads_rules_verifies_and_enters(hearing, users):
    client = login("plaintiff")
    url = f"/rooms/{hearing.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="rules"' in page and "emblem.svg" in page and "原告" in page
    assert 'data-testid="room"' not in page
    client.post(url, {"action": "ack"})
    page = client.get(url).content.decode()
    assert 'data-testid="verify"' in page
    client.post(url, {"action": "send_code"})
    answer = client.post(url, {"action": "verify", "code": "000000"}, follow=True).content.decode()
    assert 'data-testid="verify"' in answer  # a wrong code does not let anyone in
    client.post(url, {"action": "verify", "code": code_sent()})
    page = client.get(url).content.decode()
    assert 'data-testid="room"' in page and 'id="room-config"' in page and 'data-testid="host-panel"' not in page
    seat = Participant.objects.get(room=hearing, user=users["plaintiff"])
    assert seat.rules_acknowledged_at and seat.verified_at and seat.verification_method == "otp"
    assert JournalEntry.objects.filter(kind="room.verified", payload__participant_id=seat.pk).exists()


def test_host_sees_host_controls(hearing):
    client = login("judge")
    client.post(f"/rooms/{hearing.pk}/", {"action": "ack"})
    page = client.get(f"/rooms/{hearing.pk}/").content.decode()
    assert 'data-testid="host-panel"' in page and "审判长" in page


@pytest.mark.parametrize("who", ["clerk", "lawyer", "mediator"])
def test_strangers_get_404(hearing, who):
    assert login(who).get(f"/rooms/{hearing.pk}/").status_code == 404
    assert login(who).post(f"/rooms/{hearing.pk}/", {"action": "ack"}).status_code == 404


def test_invitation_link_opens_the_seat_once_for_a_guest(hearing, users):
    witness = s.room_invite(hearing, s.Contact(name="钱证人", phone="13700000009"), "witness")
    link = f"/rooms/join/{witness.invitation_token}/"
    guest = Client()
    assert guest.get(link).status_code == 200  # a link preview does not use it up
    answer = guest.post(link)
    assert answer.status_code == 302 and answer["Location"] == f"/rooms/{hearing.pk}/"
    assert 'data-testid="rules"' in guest.get(f"/rooms/{hearing.pk}/").content.decode()
    assert Client().post(link).status_code == 404  # used: no second browser gets in
    assert Client().get(f"/rooms/{hearing.pk}/").status_code == 404


def test_judge_opens_a_room_from_the_case(room_case, users):
    client = login("judge")
    answer = client.post(f"/rooms/case/{room_case.pk}/", {"activity": "mediation"})
    room = room_case.rooms.get()
    assert answer["Location"] == f"/rooms/{room.pk}/"
    assert room.file_volume == "secondary"
    assert {p.seat for p in room.participants.all()} == {"mediator", "plaintiff", "defendant", "clerk"}
    assert login("plaintiff").post(f"/rooms/case/{room_case.pk}/", {"activity": "hearing"}).status_code == 404


def test_operations_page_for_court_staff_only(hearing, users, ready):
    plaintiff = ready(hearing, users["plaintiff"])
    s.participant_join(participant=plaintiff)
    page = login("court_admin").get("/rooms/operations/").content.decode()
    assert hearing.case.number in page and f'data-room="{hearing.pk}"' in page and "原告" in page
    assert login("plaintiff").get("/rooms/operations/").status_code == 404


def test_a_party_sees_the_room_link_but_not_who_is_there(hearing, users, ready):
    plaintiff = ready(hearing, users["plaintiff"])
    s.participant_join(participant=plaintiff)
    page = login("defendant").get(f"/rooms/case/{hearing.case_id}/").content.decode()
    assert f"/rooms/{hearing.pk}/" in page and 'data-testid="room-seats"' not in page
    assert 'data-testid="room-seats"' in login("judge").get(f"/rooms/case/{hearing.case_id}/").content.decode()
    s.room_remove(hearing, plaintiff, "扰乱秩序")
    assert f"/rooms/{hearing.pk}/" in login("defendant").get(f"/rooms/case/{hearing.case_id}/").content.decode()
    assert f"/rooms/{hearing.pk}/" not in login("plaintiff").get(f"/rooms/case/{hearing.case_id}/").content.decode()
    assert login("lawyer").get(f"/rooms/case/{hearing.case_id}/").status_code == 404


def test_face_photo_is_checked_by_the_adapter_and_never_stored(hearing, users, settings):
    import hashlib

    from yunting.core.rooms import face
    from yunting.kernel.blobs.models import Blob

    settings.ROOMS_FACE_MATCH = "yunting.core.rooms.face.FakeFaceMatcher"
    face._load.cache_clear()
    face.FakeFaceMatcher.calls.clear()
    client = login("plaintiff")
    url = f"/rooms/{hearing.pk}/"
    client.post(url, {"action": "ack"})
    assert 'name="face"' in client.get(url).content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(url, {"action": "send_code"})
    code = code_sent()
    photo = b"MISMATCH-someone-else"
    client.post(url, {"action": "verify", "code": code, "face": SimpleUploadedFile("me.jpg", photo)})
    seat = Participant.objects.get(room=hearing, user=users["plaintiff"])
    assert seat.verified_at is None  # wrong face: the code is not used up, nothing recorded
    client.post(url, {"action": "verify", "code": code, "face": SimpleUploadedFile("me.jpg", b"\xff\xd8 a face")})
    seat.refresh_from_db()
    assert seat.verified_at and seat.verification_method == "otp+face"
    assert [c["real_name"] for c in face.FakeFaceMatcher.calls] == ["张伟", "张伟"]
    assert not Blob.objects.filter(sha256=hashlib.sha256(photo).hexdigest()).exists()
    face._load.cache_clear()

import pytest

from yunting.core.journal.models import JournalEntry
from yunting.core.rooms import services as s
from yunting.core.rooms.models import Participant, RoomInvitation
from yunting.kernel.common.errors import ApplicationError


def kinds(room):
    return [e.kind for e in JournalEntry.objects.filter(case=room.case, kind__startswith="room.").order_by("seq")]


def test_open_seats_host_and_accounts(hearing, users):
    seats = {p.seat: p for p in hearing.participants.all()}
    assert set(seats) == {"presiding_judge", "plaintiff", "defendant"}
    assert seats["presiding_judge"].is_host and seats["presiding_judge"].user == users["judge"]
    assert hearing.file_volume == "main" and hearing.state == "open"
    assert kinds(hearing) == ["room.opened", "room.invited", "room.invited"]


def test_only_court_staff_of_the_case_can_host(room_case, users):
    with pytest.raises(ApplicationError) as exc:
        s.room_open(room_case, "hearing", users["plaintiff"])
    assert exc.value.code == "room_not_host"
    assert not room_case.rooms.exists()


def test_session_trail_joined_dropped_rejoined_left(hearing, users, ready):
    plaintiff = ready(hearing, users["plaintiff"])
    host = ready(hearing, users["judge"])
    assert s.participant_join(participant=host).state == "admitted"
    assert s.participant_join(participant=plaintiff).state == "lobby"
    s.room_admit(hearing, plaintiff, actor=users["judge"])
    s.participant_drop(participant=plaintiff)
    again = s.participant_join(participant=plaintiff)
    assert again.state == "admitted"  # a dropped connection comes back where it was
    s.participant_leave(participant=plaintiff)
    trail = [(e.kind, e.payload.get("participant_id"), e.payload.get("rejoin"))
             for e in JournalEntry.objects.filter(case=hearing.case, kind__in=[
                 "room.joined", "room.admitted", "room.dropped", "room.left"]).order_by("seq")]
    pid = plaintiff.pk
    assert trail == [("room.joined", host.pk, False), ("room.joined", pid, False), ("room.admitted", pid, None),
                     ("room.dropped", pid, None), ("room.joined", pid, True), ("room.left", pid, None)]


def test_cannot_enter_without_rules_and_verification(hearing, users, seat_of):
    plaintiff = seat_of(hearing, users["plaintiff"])
    with pytest.raises(ApplicationError) as exc:
        s.participant_join(participant=plaintiff)
    assert exc.value.code == "room_rules_not_acknowledged"
    s.room_acknowledge_rules(participant=plaintiff)
    with pytest.raises(ApplicationError) as exc:
        s.participant_join(participant=plaintiff)
    assert exc.value.code == "room_not_verified"
    assert "room.joined" not in kinds(hearing)


def test_witness_without_case_role_gets_one_time_link(hearing, users, cast):
    from django.contrib.auth import get_user_model

    witness = get_user_model().objects.create(username="w1", real_name="钱多多", phone="13700000001",
                                              id_number="11010519491231002X")
    p = s.room_invite(hearing, witness, "witness")
    token = p.invitation_token
    assert RoomInvitation.objects.get(participant=p).token_hash != token
    assert s.room_invitation_accept(token=token).pk == p.pk
    with pytest.raises(ApplicationError) as exc:
        s.room_invitation_accept(token=token)
    assert exc.value.code == "room_invitation_invalid"


def test_host_controls_refused_to_others_and_change_nothing(hearing, users, ready):
    plaintiff = ready(hearing, users["plaintiff"])
    before = kinds(hearing)
    for act in (lambda: s.room_mute(room=hearing, participant=plaintiff, actor=users["defendant"]),
                lambda: s.room_remove(hearing, plaintiff, "扰乱秩序", actor=users["defendant"]),
                lambda: s.room_close(hearing, actor=users["plaintiff"])):
        with pytest.raises(ApplicationError) as exc:
            act()
        assert exc.value.code == "room_not_host"
    assert kinds(hearing) == before
    plaintiff.refresh_from_db()
    assert plaintiff.state == "invited" and not plaintiff.muted_audio


def test_remove_needs_reason_and_is_final(hearing, users, ready):
    plaintiff = ready(hearing, users["plaintiff"])
    with pytest.raises(ApplicationError):
        s.room_remove(hearing, plaintiff, "  ")
    s.room_remove(hearing, plaintiff, "多次打断庭审")
    with pytest.raises(ApplicationError):
        s.participant_join(participant=Participant.objects.get(pk=plaintiff.pk))
    assert kinds(hearing)[-1] == "room.removed"


def test_close_lets_everyone_out(hearing, users, ready):
    host = ready(hearing, users["judge"])
    s.participant_join(participant=host)
    s.room_start(room=hearing, actor=users["judge"])
    s.room_close(hearing)
    host.refresh_from_db()
    assert host.state == "left"
    with pytest.raises(ApplicationError) as exc:
        s.participant_join(participant=host)
    assert exc.value.code == "room_closed"

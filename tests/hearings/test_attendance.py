"""Absence vs leaving (OLR art 25) from the room's journal trail."""

import pytest
import time_machine

from yunting.core.journal.services import journal_append
from yunting.core.rooms.models import Participant
from yunting.workflows.hearings import services
from yunting.workflows.hearings.selectors import hearing_attendance

pytestmark = pytest.mark.django_db


def _room(hearing, kind, participant=None, **extra):
    payload = {"room_id": hearing.room_id, **extra}
    if participant is not None:
        payload.update(participant_id=participant.pk, seat=participant.seat)
    journal_append(case=hearing.case, kind=kind, payload=payload)


def test_never_appeared_left_mid_hearing_and_present_to_end(act, hcase, rooms, consent_all, users):
    hearing = act(hcase, "judge", "hearing_request")
    consent_all(hcase, hearing)
    hearing = act(hcase, "judge", "hearing_confirm", hearing=hearing, day="2026-05-07", slot="09:00", reason="指定")
    seat = {p.user_id: p for p in Participant.objects.filter(room_id=hearing.room_id)}
    judge, clerk = seat[users["judge"].pk], seat[users["clerk"].pk]
    plaintiff, _defendant, lawyer = seat[users["plaintiff"].pk], seat[users["defendant"].pk], seat[users["lawyer"].pk]
    with time_machine.travel("2026-05-07 08:55 +08:00", tick=False):
        for p in (judge, clerk, plaintiff, lawyer):
            _room(hearing, "room.joined", p, state="admitted", rejoin=False)
    with time_machine.travel("2026-05-07 09:30 +08:00", tick=False):
        _room(hearing, "room.dropped", lawyer)  # dropped …
    with time_machine.travel("2026-05-07 09:32 +08:00", tick=False):
        _room(hearing, "room.joined", lawyer, state="admitted", rejoin=True)  # … and came back
    with time_machine.travel("2026-05-07 10:00 +08:00", tick=False):
        _room(hearing, "room.left", plaintiff)  # walked out
    with time_machine.travel("2026-05-07 10:40 +08:00", tick=False):
        services.hearing_stage_set(hearing, "ended", users["judge"])
    with time_machine.travel("2026-05-07 10:41 +08:00", tick=False):
        _room(hearing, "room.left", judge)  # after the end: not leaving mid-hearing
        _room(hearing, "room.closed", duration_seconds=6000)
    hearing.refresh_from_db()
    status = {row["user_id"]: row["status"] for row in hearing_attendance(hearing)}
    assert status[users["defendant"].pk] == "never_appeared"
    assert status[users["plaintiff"].pk] == "left_mid_hearing"
    assert status[users["lawyer"].pk] == "present_to_end"
    assert status[users["judge"].pk] == "present_to_end"
    assert status[users["clerk"].pk] == "present_to_end"
    drops = {row["user_id"]: row["drops"] for row in hearing_attendance(hearing)}
    assert drops[users["lawyer"].pk] == 1


def test_another_rooms_trail_does_not_count(act, hcase, rooms, consent_all, users):
    hearing = act(hcase, "judge", "hearing_request")
    consent_all(hcase, hearing)
    hearing = act(hcase, "judge", "hearing_confirm", hearing=hearing, day="2026-05-07", slot="09:00", reason="指定")
    defendant = Participant.objects.get(room_id=hearing.room_id, user=users["defendant"])
    journal_append(case=hcase, kind="room.joined", payload={"room_id": hearing.room_id + 999,
                                                            "participant_id": defendant.pk, "seat": defendant.seat})
    status = {row["user_id"]: row["status"] for row in hearing_attendance(hearing)}
    assert status[users["defendant"].pk] == "never_appeared"

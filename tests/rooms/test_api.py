import pytest

from yunting.core.rooms import services as s


@pytest.fixture
def live(hearing, users, ready):
    judge, plaintiff, defendant = (ready(hearing, users[u]) for u in ("judge", "plaintiff", "defendant"))
    s.participant_join(participant=judge)
    s.participant_join(participant=plaintiff)
    s.room_admit(hearing, plaintiff)
    s.participant_join(participant=defendant)  # waits in the lobby
    return hearing


def test_admitted_participant_sees_the_room(live, bearer):
    answer = bearer("plaintiff").get(f"/api/v1/rooms/{live.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body == {"id": live.pk, "case_id": live.case_id, "activity": "hearing", "state": "open",
                    "participants": [{"seat": "presiding_judge", "state": "admitted"},
                                     {"seat": "plaintiff", "state": "admitted"}]}
    assert bearer("judge").get(f"/api/v1/rooms?case={live.case_id}").json()["items"][0]["id"] == live.pk


@pytest.mark.parametrize("who", ["defendant", "clerk", "lawyer", "court_admin"])
def test_everyone_else_gets_404_like_a_missing_room(live, bearer, who):
    # defendant: seated but in the lobby; clerk: court staff of the case but not in the room; others: strangers
    for path in (f"/api/v1/rooms/{live.pk}", "/api/v1/rooms/999999", "/api/v1/rooms/abc"):
        answer = bearer(who).get(path)
        assert answer.status_code == 404, (who, path)
        assert answer.json()["code"] == "room_not_found"
    assert bearer(who).get(f"/api/v1/rooms?case={live.case_id}").json() == {"items": []}


def test_removed_participant_gets_404(live, bearer, seat_of, users):
    s.room_remove(live, seat_of(live, users["plaintiff"]), "不遵守法庭纪律")
    assert bearer("plaintiff").get(f"/api/v1/rooms/{live.pk}").status_code == 404


def test_no_credentials_is_401(live, client):
    assert client.get(f"/api/v1/rooms/{live.pk}").status_code == 401


def test_reading_a_room_goes_into_the_read_log_and_a_refusal_does_not(live, bearer, users):
    from yunting.kernel.security.models import ReadLog

    assert bearer("plaintiff").get(f"/api/v1/rooms/{live.pk}").status_code == 200
    assert bearer("judge").get(f"/api/v1/rooms?case={live.case_id}").status_code == 200
    assert bearer("defendant").get(f"/api/v1/rooms/{live.pk}").status_code == 404
    logged = set(ReadLog.objects.filter(case_id=live.case_id).values_list("user_id", "action"))
    assert {(users["plaintiff"].pk, "room.view"), (users["judge"].pk, "room.list")} <= logged
    assert not ReadLog.objects.filter(user_id=users["defendant"].pk, case_id=live.case_id).exists()

import pytest

from yunting.core.rooms.demo import TITLE, rooms_demo
from yunting.core.rooms.models import Room

pytestmark = pytest.mark.django_db


def test_demo_hearing_room_with_parties_admitted_and_witness_waiting(cast):
    orgs, users = cast
    rooms_demo(orgs=orgs, users=users, password="demo-pass-123")
    room = Room.objects.get(title=TITLE)
    states = {p.user.username: (p.seat, p.state) for p in room.participants.select_related("user")}
    assert states == {"judge": ("presiding_judge", "admitted"), "plaintiff": ("plaintiff", "admitted"),
                      "lawyer": ("plaintiff_agent", "admitted"), "defendant": ("defendant", "admitted"), "clerk": ("clerk", "invited"),
                      "witness": ("witness", "lobby")}
    assert room.case.participations.filter(user=users["judge"], role="judge").exists()
    assert room.state == "live"
    rooms_demo(orgs=orgs, users=users, password="demo-pass-123")
    assert Room.objects.filter(title=TITLE).count() == 1

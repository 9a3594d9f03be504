import pytest


@pytest.fixture
def room_case(cast):
    """A civil case the demo judge hears, with the plaintiff and the defendant on their own accounts."""
    from yunting.core.cases.models import CaseType, Cause
    from yunting.core.cases.services import CaseInput, PartyInput, case_open

    orgs, users = cast
    data = CaseInput(
        court=orgs["court"], case_type=CaseType.objects.get(code="民初"), cause=Cause.objects.get(name="民间借贷纠纷"),
        parties=[
            PartyInput(role="plaintiff", kind="natural", name=users["plaintiff"].real_name,
                       id_number=users["plaintiff"].id_number, user=users["plaintiff"], phone=users["plaintiff"].phone),
            PartyInput(role="defendant", kind="natural", name=users["defendant"].real_name,
                       id_number=users["defendant"].id_number, user=users["defendant"], phone=users["defendant"].phone),
        ],
        participants=[(users["judge"], "judge"), (users["clerk"], "clerk")],
        security_level="internal",
    )
    return case_open(data=data, actor=users["filing_officer"])


@pytest.fixture
def hearing(room_case, users):
    """An open hearing room: the judge hosts, plaintiff and defendant seated on their accounts."""
    from yunting.core.rooms.services import room_open

    return room_open(room_case, "hearing", users["judge"],
                     [(users["plaintiff"], "plaintiff"), (users["defendant"], "defendant")])


@pytest.fixture
def seat_of():
    from yunting.core.rooms.models import Participant

    def get(room, user):
        return Participant.objects.get(room=room, user=user)

    return get


@pytest.fixture
def ready(seat_of):
    """ready(room, user): the user's seat with rules acknowledged and identity verified (code from the outbox)."""
    from yunting.core.rooms.services import room_acknowledge_rules, room_verify, room_verify_request

    def make(room, user):
        participant = seat_of(room, user)
        room_acknowledge_rules(participant=participant)
        if not participant.is_host:
            room_verify_request(participant=participant)
            room_verify(participant=participant, code=last_code(user.phone))
        participant.refresh_from_db()
        return participant

    return make


def last_code(phone: str) -> str:
    import re

    from yunting.kernel.notify.models import OutboxMessage

    msg = OutboxMessage.objects.filter(purpose__startswith="otp:room").order_by("-id").first()
    return re.search(r"\d{6}", msg.body).group(0)


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test drives its sockets on an event loop of its own: a layer (channels-redis keeps per-loop locks and
    connections) must not outlive the loop it was made on."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()

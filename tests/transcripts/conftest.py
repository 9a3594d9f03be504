import re

import pytest

from tests.rooms.conftest import _fresh_channel_layer, room_case  # noqa: F401  (shared fixtures)


@pytest.fixture
def room(room_case, users):  # noqa: F811
    """The hearing's online room: the judge hosts; plaintiff and defendant seated on their accounts."""
    from yunting.core.rooms.services import room_open

    return room_open(room_case, "hearing", users["judge"],
                     [(users["plaintiff"], "plaintiff"), (users["defendant"], "defendant")])


@pytest.fixture
def hearing(room, room_case, users, court):  # noqa: F811
    from yunting.workflows.hearings.models import Hearing

    return Hearing.objects.create(case=room_case, court=court, judge=users["judge"], room=room, state="confirmed",
                                  requested_by=users["judge"])


@pytest.fixture
def seat(room):
    from yunting.core.rooms.models import Participant

    def get(user):
        return Participant.objects.get(room=room, user=user)

    return get


def _code(phone: str, purpose: str) -> str:
    from yunting.kernel.notify.models import OutboxMessage

    msg = OutboxMessage.objects.filter(purpose__startswith=f"otp:{purpose}").order_by("-id").first()
    assert msg is not None
    return re.search(r"\d{6}", msg.body).group(0)


@pytest.fixture
def admitted(room, seat, users):
    """admitted(user): verified, joined and admitted to the room (code from the outbox, clock moved past the
    resend cool-down so a later code to the same phone is allowed)."""
    from datetime import timedelta

    from django.utils import timezone

    from yunting.core.rooms import services as s
    from yunting.kernel.notify.models import PhoneVerification

    def make(user):
        p = seat(user)
        s.room_acknowledge_rules(participant=p)
        if not p.is_host:
            s.room_verify_request(participant=p)
            s.room_verify(participant=p, code=_code(user.phone, "room"))
            PhoneVerification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        p = s.participant_join(participant=seat(user))
        if p.state != "admitted":
            s.room_admit(room, p, actor=users["judge"])
        return seat(user)

    return make


@pytest.fixture
def sign_code():
    """The one-time code just sent for signing transcript `t` (read from the outbox, as the phone would)."""
    def get(user, t):
        return _code(user.phone, f"transcript:{t.pk}")

    return get



@pytest.fixture
def strokes():
    """A drawn signature as the canvas sends it (PNG; big enough for the intake's check of images)."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (1800, 720), (255, 255, 255, 0))  # the page's canvas: 1800×720, shown scaled down
    ImageDraw.Draw(img).line([(120, 540), (600, 180), (960, 510), (1680, 150)], fill=(17, 17, 17, 255), width=12)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()

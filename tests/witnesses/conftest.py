import pytest

from tests.rooms import conftest as rooms_conftest

# the rooms tests' fixtures: a civil case the demo judge hears, seats made ready (rules + code), a fresh layer
room_case, seat_of, ready = rooms_conftest.room_case, rooms_conftest.seat_of, rooms_conftest.ready
_fresh_channel_layer = rooms_conftest._fresh_channel_layer
last_code = rooms_conftest.last_code

WITNESS_ID = "110105198001011238"  # a valid GB 11643 number (checksum right)


@pytest.fixture
def access_for():
    from yunting.core.cases.access import access_case_for

    def get(user, case):
        return access_case_for(user, case.pk)

    return get


@pytest.fixture
def apply(room_case, users, access_for):
    """apply(**overrides): the plaintiff applies for 钱多多 to testify online (ground: health)."""
    from yunting.workflows.witnesses import services

    def make(user=None, **kw):
        user = user or users["plaintiff"]
        data = {"witness_name": "钱多多", "witness_phone": "13700000001", "witness_id_number": WITNESS_ID,
                "ground": "health", "facts": "被告于2025年3月向原告借款10万元"} | kw
        return services.witness_apply(access=access_for(user, room_case), actor=user, **data)

    return make


@pytest.fixture
def approved(apply, users, room_case, access_for):
    """An application approved by the judge, no objection, the notice issued: the witness testifies online."""
    from datetime import timedelta

    from django.utils import timezone

    from yunting.workflows.witnesses import services

    def make(**kw):
        app = apply(**kw)
        judge = access_for(users["judge"], room_case)
        app = services.witness_decide(access=judge, actor=users["judge"], application=app, approve=True)
        return services.witness_notice_issue(access=judge, actor=users["judge"], application=app,
                                             now=timezone.now() + timedelta(days=4))

    return make


@pytest.fixture
def hearing_room(room_case, users):
    from yunting.core.rooms.services import room_open

    return room_open(room_case, "hearing", users["judge"],
                     [(users["plaintiff"], "plaintiff"), (users["defendant"], "defendant")])


@pytest.fixture
def witness_user(db):
    """The witness's own account (outside the case): the invitation link is used while signed in."""
    from django.contrib.auth import get_user_model

    from yunting.core.people.services import user_set_id_number

    user = get_user_model().objects.create(username="qdd", real_name="钱多多", phone="13700000001")
    user.set_password("pw-for-tests-123")
    user.save()
    user_set_id_number(user=user, id_number=WITNESS_ID)
    return user


@pytest.fixture
def seated(approved, hearing_room, users, room_case, access_for, witness_user):
    """The witness invited into the hearing room, link used (signed in), rules read, identity verified once."""
    from yunting.core.rooms.services import (
        room_acknowledge_rules,
        room_invitation_accept,
        room_verify,
        room_verify_request,
    )
    from yunting.workflows.witnesses import services

    app = approved()
    p = services.witness_invite(access=access_for(users["judge"], room_case), actor=users["judge"],
                                application=app, room=hearing_room)
    p = room_invitation_accept(token=p.invitation_token, user=witness_user)
    room_acknowledge_rules(participant=p)
    room_verify_request(participant=p)
    p = room_verify(participant=p, code=last_code(p.room_id))
    app.refresh_from_db()
    return app, p


def verify_again(p):
    from yunting.core.rooms.services import room_verify, room_verify_request

    room_verify_request(participant=p)
    return room_verify(participant=p, code=last_code(None))


def strokes() -> bytes:
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(10, 80), (120, 20), (280, 70)], fill=(0, 0, 0, 255), width=5)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _codes_without_cooldown(monkeypatch):
    """The second identity check follows the first within seconds here; in life the 60 s resend pause is kept."""
    from datetime import timedelta

    monkeypatch.setattr("yunting.kernel.notify.services.RESEND_COOLDOWN", timedelta(0))

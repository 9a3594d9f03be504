import pytest

from tests.rooms.conftest import hearing, ready, room_case, seat_of  # noqa: F401 (the rooms' own fixtures)
from yunting.core.rooms.media.synth import Script, write_clip

# The scripted recording the patrol tests and the chunk tests share: every kind of event once or twice.
SCRIPT = Script(duration=60, away=[(5, 12), (40, 46)], second_face=[(15, 19)], loud=[(22, 24.5)],
                covered=[(27, 32)], silent=[(50, 58)])


@pytest.fixture(scope="session")
def scripted_clip(tmp_path_factory):
    return write_clip(str(tmp_path_factory.mktemp("clips") / "scripted.webm"), SCRIPT)


@pytest.fixture(scope="session")
def calm_clip(tmp_path_factory):
    """A participant who sits still and speaks quietly for 40 s: nothing to flag."""
    return write_clip(str(tmp_path_factory.mktemp("clips") / "calm.webm"), Script(duration=40), seed=3)


@pytest.fixture
def present(hearing, users, ready):  # noqa: F811
    """The plaintiff admitted in the live hearing."""
    from yunting.core.rooms import services as s

    host = ready(hearing, users["judge"])
    s.participant_join(participant=host)
    plaintiff = ready(hearing, users["plaintiff"])
    s.participant_join(participant=plaintiff)
    s.room_admit(hearing, plaintiff, actor=users["judge"])
    plaintiff.refresh_from_db()
    return plaintiff

"""Joining a hearing from a phone (tests/web/phonefit.py): my hearings, the room's rules, the identity check, the
waiting room once verified, and the unavailability page, each at 390×844 and 1366 wide."""

import pytest

from tests.web.phonefit import assert_fits, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def at(hearing, users, seat_of, ready):
    """at(step): the plaintiff's seat brought to the room page's `step`."""
    from yunting.core.rooms.services import room_acknowledge_rules

    def to(step):
        if step == "verify":
            room_acknowledge_rules(participant=seat_of(hearing, users["plaintiff"]))
        if step == "room":
            ready(hearing, users["plaintiff"])
        return hearing

    return to


STEPS = {"rules": "#rules-ack, [data-testid=ack], main form", "verify": "main form", "room": "main"}


@pytest.mark.parametrize("step", STEPS)
def test_room_step_fits_a_phone(step, at, live_server):
    room = at(step)
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=f"hearing-join-{step}", url=f"/rooms/{room.pk}/", who="plaintiff",
                    ready=STEPS[step])


@pytest.mark.parametrize("url", ["/hearings/", "/hearings/unavailable/"])
def test_hearing_list_fits_a_phone(url, hearing, live_server):
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="hearings" + url.replace("/", "-").rstrip("-").removeprefix("-hearings"),
                    url=url, who="plaintiff", ready="main")

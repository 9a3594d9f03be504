"""Every step a party and a witness take fits a 390×844 phone and a 1366 desk (tests/web/phonefit.py): the
application form, the party's panel, the invitation link, and on the room page the witness's waiting
room, the second identity check and the oath with its signature pad."""

import pytest

from tests.web.phonefit import assert_fits, chromium

from .conftest import verify_again

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stage(seated, users, room_case, access_for):
    """stage("waiting" | "verify" | "oath"): the seated witness brought to that step of the room page."""
    from yunting.core.rooms.services import participant_join
    from yunting.workflows.witnesses import services

    app, p = seated

    def to(step):
        if step in ("verify", "oath"):
            participant_join(participant=p)  # in the waiting room, as the open page would be
            services.witness_call(access=access_for(users["judge"], room_case), actor=users["judge"], application=app)
        if step == "oath":
            verify_again(p)
        return p

    return to


PARTY_PAGES = {
    "witness-apply": ("plaintiff", "/witnesses/cases/{case}/apply/", "[data-testid=apply-submit]"),
}


@pytest.mark.parametrize("name", PARTY_PAGES)
def test_party_page_fits_a_phone(name, room_case, live_server):
    who, url, ready = PARTY_PAGES[name]
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=name, url=url.format(case=room_case.pk), who=who, ready=ready)


def test_party_panel_fits_a_phone(approved, room_case, live_server):
    approved()
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="witness-panel-party", url=f"/witnesses/cases/{room_case.pk}/",
                    who="plaintiff", ready="[data-testid=witness-panel]")


def test_invitation_link_fits_a_phone(approved, hearing_room, users, room_case, access_for, live_server):
    from yunting.workflows.witnesses import services

    seat = services.witness_invite(access=access_for(users["judge"], room_case), actor=users["judge"],
                                   application=approved(), room=hearing_room)
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="witness-invitation", url=f"/rooms/join/{seat.invitation_token}/",
                    who=None, ready="[data-testid=accept-invitation]")


@pytest.mark.parametrize("step", ["waiting", "verify", "oath"])
def test_witness_seat_fits_a_phone(step, stage, live_server):
    p = stage(step)
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=f"witness-seat-{step}", url=f"/rooms/{p.room_id}/", who="qdd",
                    ready=f"[data-testid=witness-seat][data-step={step}]")

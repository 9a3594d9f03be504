"""Every shared-court page a villager or a point's staff uses fits a 390×844 phone and a 1366 desk
(tests/web/phonefit.py): the public list and its search, the party's attendances and case panel, the staff's
workbench, the session before and after the identity check (with the signature pad) and the assisted filing."""

import io

import pytest

from tests.sharedcourt.conftest import jpeg
from tests.web.phonefit import assert_fits, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def checked(approved, users):
    from yunting.workflows.sharedcourt.services import attendance_check_identity

    return attendance_check_identity(actor=users["point_staff"], attendance=approved,
                                     id_number=users["defendant"].id_number, photo=io.BytesIO(jpeg()))


PAGES = {
    "sharedcourt-points": (None, lambda a: "/sharedcourt/points/", "[data-testid=point]"),
    "sharedcourt-points-search": (None, lambda a: "/sharedcourt/points/?q=西乡", "[data-testid=point]"),
    "sharedcourt-mine": ("defendant", lambda a: "/sharedcourt/mine/", "main"),
    "sharedcourt-case-party": ("defendant", lambda a: f"/sharedcourt/cases/{a.case_id}/", "main"),
    "sharedcourt-attendance-party": ("defendant", lambda a: f"/sharedcourt/attendances/{a.pk}/", "[data-testid=attendance-page]"),
    "sharedcourt-workbench": ("point_staff", lambda a: "/sharedcourt/workbench/", "[data-testid=session]"),
    "sharedcourt-attendance-staff": ("point_staff", lambda a: f"/sharedcourt/attendances/{a.pk}/", "[data-testid=identity-form]"),
    "sharedcourt-filing": ("point_staff", lambda a: "/sharedcourt/filing/", "main form"),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone(name, approved, other_point, live_server):
    who, url, ready = PAGES[name]
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=name, url=url(approved), who=who, ready=ready)


def test_signing_step_fits_a_phone(checked, live_server):
    """After the identity check the staff's page grows the signature pad: it fits the phone's width."""
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="sharedcourt-attendance-sign", who="point_staff",
                    url=f"/sharedcourt/attendances/{checked.pk}/", ready="[data-testid=pad]")

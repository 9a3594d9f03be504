"""The case space a party chats in fits a 390×844 phone and a 1366 desk (tests/web/phonefit.py): the list of my
spaces and the space itself with a long message, a notice and the members panel."""

import pytest

from tests.web.phonefit import assert_fits, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def talked(space, users):
    from yunting.workflows.casespace.services import space_post

    space_post(space=space, user=users["plaintiff"], text="法官您好，" + "请问何时调解？" * 12 + "https://example.com/" + "a" * 80)
    space_post(space=space, user=users["judge"], text="下周二上午九点在线调解，请准时参加。")
    return space


def test_space_list_fits_a_phone(talked, live_server):
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="casespace-list", url="/spaces/", who="plaintiff", ready="main")


def test_space_fits_a_phone(talked, live_server):
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="casespace-space", url=f"/spaces/{talked.pk}/", who="plaintiff",
                    ready="[data-testid=space-log]")

"""The pages a party is served through fit a 390×844 phone and a 1366 desk (tests/web/phonefit.py): the SMS link's
code page, the served documents behind it and the case page that lists what
was served on them."""

import pytest

from tests.web.phonefit import assert_fits, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sms(web_case, consent, users, sms_of):
    from yunting.core.service.services import service_dispatch, service_request

    consent(web_case.case, web_case.defendant, channels=["sms", "portal"])
    [task] = service_request(case=web_case.case, documents=[web_case.notice.pk, web_case.complaint.pk],
                             recipients=[web_case.defendant.pk], actor=users["judge"])
    service_dispatch(task=task, actor=users["service_officer"], channel="sms")
    token, code, _ = sms_of()
    return web_case, token, code


def test_sms_code_page_fits_a_phone(sms, live_server):
    _, token, _ = sms
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="service-sms-code", url=f"/s/{token}", who=None, ready="#id_code")


def test_sms_documents_page_fits_a_phone(sms, live_server):
    _, token, code = sms

    def open_with_code(page):
        page.fill("#id_code", code)
        page.click("[data-testid=sms-open]")
        page.wait_for_selector("[data-testid=sms-documents]")

    with chromium() as browser:
        # the access code opens the link once: on the phone only
        assert_fits(browser, live_server.url, name="service-sms-documents", url=f"/s/{token}", who=None,
                    ready="#id_code", steps=open_with_code, sizes=("390",))


def test_party_case_page_with_served_documents_fits_a_phone(sms, live_server):
    with chromium() as browser:
        assert_fits(browser, live_server.url, name="service-party-case", url=f"/cases/{sms[0].case.pk}/",
                    who="defendant", ready="main")

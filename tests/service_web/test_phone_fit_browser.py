"""The pages a party is served through fit a 390×844 phone and a 1366 desk (tests/web/phonefit.py): the SMS link's
code page, the served documents behind it, the consent to electronic service and the case page that lists what
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
        assert_fits(browser, live_server.url, name="service-sms-documents", url=f"/s/{token}", who=None,
                    ready="#id_code", steps=open_with_code)


@pytest.mark.parametrize("page", ["consent", "case"])
def test_party_service_page_fits_a_phone(page, sms, live_server):
    case = sms[0].case
    url = {"consent": f"/service/cases/{case.pk}/consent/", "case": f"/cases/{case.pk}/"}[page]
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=f"service-party-{page}", url=url, who="defendant", ready="main")

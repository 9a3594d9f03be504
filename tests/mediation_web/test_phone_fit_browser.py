"""The mediation pages a party and a mediator use fit a 390×844 phone and a 1366 desk (tests/web/phonefit.py):
my disputes, the application form (with its self-help panel), the dispute during mediation (a proposal and a drafted
agreement) for each side, and the signing page with its pad."""

import pytest

from tests.web.phonefit import assert_fits, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def drafted(dispute, network, users, coordinator):
    from yunting.workflows.mediation import services

    assignment = services.dispute_assign(dispute=dispute, mediator=network["mediator"], actor=coordinator)
    services.assignment_accept(assignment=assignment, actor=users["mediator"])
    services.mediation_start(dispute=dispute, actor=users["mediator"], mode="thread")
    dispute.refresh_from_db()
    services.proposal_post(dispute=dispute, actor=users["mediator"],
                           text="建议被申请人于年底前一次性归还本金，申请人放弃利息。" * 3)
    services.agreement_draft(dispute=dispute, actor=users["mediator"], terms=[
        "被申请人李娜于2026年12月31日前归还申请人张伟借款50000元", "申请人张伟放弃利息请求"])
    dispute.refresh_from_db()
    return dispute


PAGES = {
    "mediation-list": ("plaintiff", "/mediation/", "main"),
    "mediation-new": ("plaintiff", "/mediation/new/?cause=民间借贷纠纷", "[data-testid=intake-submit]"),
    "mediation-dispute-plaintiff": ("plaintiff", "/mediation/{id}/", "[data-testid=agreement]"),
    "mediation-dispute-defendant": ("defendant", "/mediation/{id}/", "[data-testid=agreement]"),
    "mediation-dispute-mediator": ("mediator", "/mediation/{id}/", "[data-testid=agreement]"),
    "mediation-sign": ("plaintiff", "/mediation/{id}/sign/", "[data-testid=pad]"),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone(name, drafted, live_server):
    who, url, ready = PAGES[name]
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=name, url=url.format(id=drafted.pk), who=who, ready=ready)

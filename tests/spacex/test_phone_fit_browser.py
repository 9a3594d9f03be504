"""Every case-space extra a party uses fits a 390×844 phone and a 1366 desk (tests/web/phonefit.py): the case hub,
the delivered judgment with its signature pad, the hearing-time poll, the payout form before and after the bank
details, the outreach list and the public live page."""

from types import SimpleNamespace

import pytest

from tests.web.phonefit import assert_fits, chromium
from yunting.workflows.payouts import banks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CARD = banks.with_check_digit("622202410012345678")


@pytest.fixture
def extras(scase, users, add_document, court):
    from yunting.core.cases.access import access_case_for
    from yunting.workflows.broadcasts import services as bc
    from yunting.workflows.deliveries.services import delivery_send
    from yunting.workflows.hearings.services import courtroom_save
    from yunting.workflows.payouts import services
    from yunting.workflows.spacepolls.services import poll_open

    access = access_case_for(users["judge"], scase.pk)
    payout = services.payout_open(access=access, actor=users["judge"], received_total="8000.00", shares=[
        {"party_id": scase.plaintiff.pk, "amount": "5000.00"}, {"party_id": scase.defendant.pk, "amount": "3000.00"}])
    share = payout.shares.get(party=scase.plaintiff)  # the plaintiff has confirmed and now signs on the pad
    services.share_confirm(payout=payout, user=users["plaintiff"], share_id=share.pk, amount_confirmed=True,
                           account_number=CARD, bank_code="ICBC", account_name=users["plaintiff"].real_name)
    b = bc.broadcast_create(actor=users["judge"], title="民间借贷类案答疑：借条、利息与诉讼时效的常见问题", case_numbers=[scase.number],
                            public=True)
    bc.broadcast_start(broadcast=b, actor=users["judge"])
    bc.broadcast_post(broadcast=b, actor=users["judge"], text="借条应写明金额、期限和利息。" * 6)
    doc = add_document(scase, "judge", title="广东省深圳市宝安区人民法院民事判决书（一审）", kind="judgment",
                       entry_kind="papers.issued")
    delivery = delivery_send(access=access, actor=users["judge"], document_id=doc.pk, user_id=users["defendant"].pk)
    for name, kind in (("第一法庭", "physical"), ("在线法庭1", "online")):
        courtroom_save(actor=users["court_admin"], court=court, name=name, kind=kind)
    hearing = poll_open(access=access, actor=users["judge"])
    return SimpleNamespace(case=scase, payout=payout, broadcast=b, delivery=delivery, hearing=hearing)


PAGES = {
    "spacex-case-party": ("defendant", lambda x: f"/space-extras/cases/{x.case.pk}/", "main"),
    "spacex-delivery": ("defendant", lambda x: f"/space-extras/deliveries/{x.delivery.pk}/", "[data-testid=open-document]"),
    "spacex-poll": ("defendant", lambda x: f"/space-extras/cases/{x.case.pk}/polls/{x.hearing.pk}/", "[data-testid=vote-form]"),
    "spacex-payout-confirm": ("defendant", lambda x: f"/space-extras/payouts/{x.payout.pk}/", "[data-testid=confirm-form]"),
    "spacex-payout-sign": ("plaintiff", lambda x: f"/space-extras/payouts/{x.payout.pk}/", "[data-testid=pad]"),
    "spacex-broadcasts": ("defendant", lambda x: "/space-extras/broadcasts/", "main"),
    "spacex-live-public": (None, lambda x: f"/live/{x.broadcast.public_token}/", "[data-testid=posts]"),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone(name, extras, live_server):
    who, url, ready = PAGES[name]
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=name, url=url(extras), who=who, ready=ready)

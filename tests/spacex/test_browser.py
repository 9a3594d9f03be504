"""The payout confirm flow on a phone (390×844) in a real Chromium: the recipient confirms the amount, picks the
bank, types the card (seen in full only while typing), sees it masked once sent, signs the distribution record
with a finger; the judge's desktop page (1366) shows the account masked. Screenshots of the case space pages at
both sizes go to test-artifacts/."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from tests.asgi_server import asgi_serving
from tests.rooms.test_browser import ARGS, ARTIFACTS, CHROMIUM, sign_in
from tests.signature_pad import draw_signature
from yunting.workflows.payouts import banks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}
CARD = banks.with_check_digit("622202410012345678")


@pytest.fixture
def live(scase, users, add_document, court):
    """A payout in progress on the case, a public outreach session, a delivered judgment and a poll."""
    from yunting.core.cases.access import access_case_for
    from yunting.workflows.broadcasts import services as bc
    from yunting.workflows.deliveries.services import delivery_send
    from yunting.workflows.hearings.services import courtroom_save
    from yunting.workflows.payouts import services
    from yunting.workflows.spacepolls.services import poll_open

    access = access_case_for(users["judge"], scase.pk)
    payout = services.payout_open(access=access, actor=users["judge"], received_total="8000.00", shares=[
        {"party_id": scase.plaintiff.pk, "amount": "5000.00"}, {"party_id": scase.defendant.pk, "amount": "3000.00"}])
    b = bc.broadcast_create(actor=users["judge"], title="民间借贷类案答疑", case_numbers=[scase.number], public=True)
    bc.broadcast_start(broadcast=b, actor=users["judge"])
    bc.broadcast_post(broadcast=b, actor=users["judge"], text="借条应写明金额、期限和利息。")
    doc = add_document(scase, "judge", title="民事判决书", kind="judgment", entry_kind="papers.issued")
    delivery = delivery_send(access=access, actor=users["judge"], document_id=doc.pk, user_id=users["defendant"].pk)
    for name, kind in (("第一法庭", "physical"), ("在线法庭1", "online")):
        courtroom_save(actor=users["court_admin"], court=court, name=name, kind=kind)
    hearing = poll_open(access=access, actor=users["judge"])
    return SimpleNamespace(case=scase, payout=payout, broadcast=b, delivery=delivery, hearing=hearing)


@pytest.fixture
def server(live):
    with asgi_serving() as served:
        yield served


def _until(page, selector, ok, timeout=30.0):
    """Wait for an element's text to satisfy `ok` (the strict CSP forbids wait_for_function's string eval)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ok(page.inner_text(selector)):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{selector}: {page.inner_text(selector)!r}")


def test_payout_confirmed_and_signed_on_a_phone(live, server):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    payout_url = f"{server.url}/space-extras/payouts/{live.payout.pk}/"
    masked = f"6222 **** **** {CARD[-4:]}"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        phone = browser.new_context(**PHONE).new_page()
        sign_in(phone, server.url, "defendant")
        phone.goto(payout_url)
        phone.wait_for_selector("[data-testid=confirm-form]")
        assert phone.locator("[data-testid=my-share]").count() == 1  # only their own share to act on
        phone.check("[data-testid=confirm-form] input[name=amount_ok]")
        phone.select_option("[data-testid=confirm-form] select[name=bank_code]", "ICBC")
        phone.fill("[data-testid=confirm-form] input[name=account_number]", " ".join(
            CARD[i:i + 4] for i in range(0, len(CARD), 4)))
        phone.screenshot(path=str(ARTIFACTS / "spacex-payout-typing-390.png"), full_page=True)
        phone.click("[data-testid=confirm-button]")
        phone.wait_for_selector("[data-testid=pad]")
        content = phone.content()
        assert masked in content and CARD not in content
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        draw_signature(phone)
        phone.click("[data-testid=sign-button]", timeout=300_000)  # the signing takes long on a busy machine
        phone.wait_for_selector("[data-testid=signed-note], .alert-danger", timeout=300_000)
        assert phone.locator(".alert-danger").count() == 0, phone.locator(".alert-danger").first.inner_text()
        phone.screenshot(path=str(ARTIFACTS / "spacex-payout-signed-390.png"), full_page=True)
        # the delivered judgment and the hearing-time poll, on the same phone
        phone.goto(f"{server.url}/space-extras/deliveries/{live.delivery.pk}/")
        phone.wait_for_selector("[data-testid=open-document]")
        phone.screenshot(path=str(ARTIFACTS / "spacex-delivery-390.png"), full_page=True)
        phone.goto(f"{server.url}/space-extras/cases/{live.case.pk}/polls/{live.hearing.pk}/")
        phone.wait_for_selector("[data-testid=vote-form]")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(ARTIFACTS / "spacex-poll-390.png"), full_page=True)
        # the public outreach page on a phone, without logging in
        anon = browser.new_context(**PHONE).new_page()
        anon.goto(f"{server.url}/live/{live.broadcast.public_token}/")
        _until(anon, "[data-testid=posts]", lambda t: "借条" in t)
        assert int(anon.inner_text("[data-testid=live-count]")) >= 1
        assert live.case.number not in anon.content()
        anon.screenshot(path=str(ARTIFACTS / "spacex-live-public-390.png"), full_page=True)
        # the judge at a desk: the account masked; the case hub and the session console
        desk = browser.new_context(**DESKTOP).new_page()
        sign_in(desk, server.url, "judge")
        desk.goto(payout_url)
        assert masked in desk.content() and CARD not in desk.content()
        desk.screenshot(path=str(ARTIFACTS / "spacex-payout-judge-1366.png"), full_page=True)
        desk.goto(f"{server.url}/space-extras/cases/{live.case.pk}/")
        desk.screenshot(path=str(ARTIFACTS / "spacex-case-1366.png"), full_page=True)
        desk.goto(f"{server.url}/space-extras/broadcasts/{live.broadcast.pk}/")
        _until(desk, "[data-testid=total-count]", lambda t: t.strip() not in ("", "0"))
        desk.screenshot(path=str(ARTIFACTS / "spacex-broadcast-1366.png"), full_page=True)
        browser.close()
    live.payout.refresh_from_db()
    share = live.payout.shares.get(party=live.case.defendant)
    assert share.status == "signed" and share.account_masked == masked

"""Three real Chromiums: the witness (a phone, through the one-time link, no account) waits in the lobby, is called,
verifies again, signs the oath, is admitted, reads the oath aloud and is dismissed — while the plaintiff (a
second context) sees the witness in the room only while admitted. Screenshots at 1366 and 390×844."""

import re

import pytest

from tests.asgi_server import asgi_serving
from tests.rooms.test_browser import ARGS, ARTIFACTS, CHROMIUM, poll, sign_in
from tests.signature_pad import draw_signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the test reads the database between steps."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def server(hearing_room):
    with asgi_serving() as served:
        yield served


def code() -> str:
    from yunting.kernel.notify.models import OutboxMessage

    msg = OutboxMessage.objects.filter(purpose__startswith="otp:room").order_by("-id").first()
    return re.search(r"\d{6}", msg.body).group(0)


def test_witness_waits_is_admitted_signs_testifies_and_is_dismissed(approved, hearing_room, users, ready, server,
                                                                    room_case, access_for):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    from yunting.core.rooms.models import Participant
    from yunting.workflows.witnesses import services
    from yunting.workflows.witnesses.models import WitnessApplication

    app = approved()
    ready(hearing_room, users["judge"])
    pid = ready(hearing_room, users["plaintiff"]).pk
    seat = services.witness_invite(access=access_for(users["judge"], room_case), actor=users["judge"],
                                   application=app, room=hearing_room)
    wid = seat.pk
    room_url = f"{server.url}/rooms/{hearing_room.pk}/"
    panel_url = f"{server.url}/witnesses/cases/{room_case.pk}/"
    ARTIFACTS.mkdir(exist_ok=True)
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            judge_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
            judge, panel = judge_ctx.new_page(), judge_ctx.new_page()
            party = browser.new_context(**phone).new_page()
            witness = browser.new_context(**phone).new_page()
            errors = []
            for page in (judge, panel, party, witness):
                page.on("pageerror", lambda e: errors.append(str(e)))
            sign_in(judge, server.url, "judge")
            judge.goto(room_url)
            judge.wait_for_selector("[data-testid=host-panel]")
            sign_in(party, server.url, "plaintiff")
            party.goto(room_url)
            judge.click(f"[data-testid=admit-{pid}]")
            party.wait_for_selector("[data-testid=video-grid] >> text=审判长")

            # the witness: link (a button, then POST), the rules, the first identity check, the lobby
            witness.goto(f"{server.url}/rooms/join/{seat.invitation_token}/")
            witness.click("[data-testid=accept-invitation]")
            witness.check("#ack")
            witness.click("[data-testid=ack]")
            witness.click("[data-testid=send-code]")
            witness.fill("#code", code())
            witness.click("[data-testid=verify-submit]")
            witness.wait_for_selector("[data-testid=witness-seat][data-step=waiting]")
            poll(lambda: Participant.objects.get(pk=wid).state == "lobby")
            witness.screenshot(path=str(ARTIFACTS / "witness-waiting-390.png"), full_page=True)
            assert "证人" not in party.inner_text("[data-testid=video-grid]")
            assert witness.locator(f"video[data-testid=video-{pid}]").count() == 0

            # the judge calls; the witness verifies again and signs the oath
            panel.goto(panel_url)
            panel.click("[data-testid=call]")
            witness.wait_for_selector("[data-testid=witness-seat][data-step=verify]", timeout=10000)
            witness.click("[data-testid=witness-send-code]")
            witness.fill("#w-code", code())
            witness.click("[data-testid=witness-verify-submit]")
            witness.wait_for_selector("[data-testid=witness-seat][data-step=oath]")
            witness.screenshot(path=str(ARTIFACTS / "witness-oath-390.png"), full_page=True)
            draw_signature(witness)
            witness.click("[data-testid=oath-submit]")
            witness.wait_for_selector("[data-testid=witness-seat][data-step=signed]")
            assert WitnessApplication.objects.get(pk=app.pk).oath_signed_at is not None
            poll(lambda: Participant.objects.get(pk=wid).state == "lobby")  # the reloaded page is back in the lobby

            # admitted: the party now sees the witness; the judge asks for the oath read aloud
            panel.goto(panel_url)
            panel.click("[data-testid=admit]")
            witness.wait_for_selector("[data-testid=witness-seat][data-step=testifying]", timeout=10000)
            party.wait_for_selector("[data-testid=video-grid] >> text=证人", timeout=10000)
            panel.goto(panel_url)
            panel.screenshot(path=str(ARTIFACTS / "witness-panel-judge-1366.png"), full_page=True)
            panel.click("[data-testid=read-aloud]")
            witness.wait_for_selector("[data-testid=oath-fullscreen]:not(.d-none)", timeout=10000)
            assert "如实陈述" in witness.inner_text("[data-testid=oath-fullscreen]")
            witness.screenshot(path=str(ARTIFACTS / "witness-read-aloud-390.png"))
            witness.click("#oath-full-close")
            witness.screenshot(path=str(ARTIFACTS / "witness-testifying-390.png"), full_page=True)
            party.screenshot(path=str(ARTIFACTS / "witness-party-view-390.png"), full_page=True)

            # dismissed: the witness's access ends at once, the party no longer sees the witness
            panel.goto(panel_url)
            panel.click("[data-testid=dismiss]")
            witness.wait_for_selector("[data-testid=witness-seat][data-step=dismissed]", timeout=10000)
            poll(lambda: "证人" not in party.inner_text("[data-testid=video-grid]"), timeout=10)
            assert Participant.objects.get(pk=wid).state == "removed"
            witness.goto(room_url)
            assert witness.locator("[data-testid=room]").count() == 0  # the seat no longer exists for entering
            assert not errors, errors
        finally:
            browser.close()


def test_application_form_and_panel_on_a_phone_and_a_desktop(users, room_case, server):
    """The party's form at 390×844 and 1366 wide, a refused ID number shown clearly, then the panel."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    from yunting.workflows.witnesses.models import WitnessApplication

    from .conftest import WITNESS_ID

    ARTIFACTS.mkdir(exist_ok=True)
    url = f"{server.url}/witnesses/cases/{room_case.pk}/apply/"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for width, height, mobile in ((390, 844, True), (1366, 900, False)):
                page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                           is_mobile=mobile, has_touch=mobile).new_page()
                sign_in(page, server.url, "plaintiff")
                page.goto(url)
                page.fill("#w-name", "钱多多")
                page.fill("#w-phone", "13700000001")
                page.fill("#w-id", "110105198001011230")
                page.select_option("#w-ground", "health")
                page.fill("#w-facts", "被告于2025年3月向原告借款10万元")
                page.click("[data-testid=apply-submit]")
                assert "校验位" in page.inner_text("[data-testid=apply-error]") or \
                    "check" in page.inner_text("[data-testid=apply-error]")
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.screenshot(path=str(ARTIFACTS / f"witness-apply-error-{width}.png"), full_page=True)
                page.fill("#w-id", WITNESS_ID)
                page.click("[data-testid=apply-submit]")
                page.wait_for_selector("[data-testid=witness-panel]")
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.screenshot(path=str(ARTIFACTS / f"witness-panel-party-{width}.png"), full_page=True)
            assert WitnessApplication.objects.count() == 2
        finally:
            browser.close()

"""A hearing in real Chromiums with fake camera and microphone: the judge hosts the room, the party (a
phone-sized page) is admitted, the clerk types the transcript beside the room and the party's live view follows;
then the clerk sends it for review, the party and the clerk each sign on a phone-sized page (handwriting and a
one-time code), the judge signs, and the signed transcript is in the e-file."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw

from tests.rooms.test_browser import ARGS, ARTIFACTS, CHROMIUM, poll, server, sign_in  # noqa: F401
from tests.signature_pad import draw_signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}


def in_thread(fn):
    """Database reads from inside Playwright's sync API (which runs an event loop in this thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result()


def latest_code(purpose: str) -> str:
    from yunting.kernel.notify.models import OutboxMessage

    def read():
        msg = OutboxMessage.objects.filter(purpose__startswith=f"otp:{purpose}").order_by("-id").first()
        return re.search(r"\d{6}", msg.body).group(0)

    return in_thread(read)


def ready(room, user):
    """Rules acknowledged and identity verified for the room (as the room tests do), the code's resend cool-down
    moved out of the way so the signing code can follow."""
    from django.utils import timezone

    from yunting.core.rooms import services as s
    from yunting.core.rooms.models import Participant
    from yunting.kernel.notify.models import PhoneVerification

    p = Participant.objects.get(room=room, user=user)
    s.room_acknowledge_rules(participant=p)
    if not p.is_host:
        s.room_verify_request(participant=p)
        s.room_verify(participant=p, code=latest_code("room"))
    PhoneVerification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    return p


def draw_and_sign(page, purpose: str):
    page.click("[data-testid=send-code]")
    draw_signature(page)
    page.fill("[data-testid=code]", latest_code(purpose))
    page.click("[data-testid=sign]")
    # the intake's sandboxed check of the strokes and the PAdES signature take a while on a loaded machine
    page.wait_for_selector("[data-testid=my-answer], .alert-danger", timeout=420_000)
    errors = page.locator(".alert-danger")
    assert errors.count() == 0, errors.first.inner_text()


def test_hearing_typed_live_then_signed_on_phones(hearing, users, server):  # noqa: F811
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    from yunting.core.efile.models import Document
    from yunting.workflows.transcripts import services
    from yunting.workflows.transcripts.models import Transcript
    from yunting.workflows.transcripts.selectors import access_transcript_for

    room = hearing.room
    ready(room, users["judge"])
    party_seat = ready(room, users["plaintiff"])
    ARTIFACTS.mkdir(exist_ok=True)
    page_url = f"{server.url}/transcripts/{hearing.pk}/"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            judge = browser.new_context(**DESKTOP).new_page()
            clerk = browser.new_context(**DESKTOP).new_page()
            party_ctx = browser.new_context(**PHONE)
            party_room, party = party_ctx.new_page(), party_ctx.new_page()
            errors = []
            for page in (judge, clerk, party_room, party):
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.set_default_timeout(420_000)  # rendering and signing PDFs is slow on a loaded machine
            sign_in(judge, server.url, "judge")
            judge.goto(f"{server.url}/rooms/{room.pk}/")
            judge.wait_for_selector("[data-testid=emblem]")
            sign_in(party_room, server.url, "plaintiff")
            party_room.goto(f"{server.url}/rooms/{room.pk}/")
            judge.click(f"[data-testid=admit-{party_seat.pk}]", timeout=60_000)

            sign_in(clerk, server.url, "clerk")
            clerk.goto(page_url)
            clerk.click("[data-testid=open-blank]")
            clerk.wait_for_selector("[data-testid=editor]")
            party.goto(page_url)  # the party's live view, beside the room
            party.wait_for_selector("[data-testid=live-text]")
            clerk.fill("[data-testid=editor]", "审判员：现在开庭。\n原告张伟：被告借款十万元，至今未还。")
            clerk.type("[data-testid=editor]", "\n审判员：休庭。")
            poll(lambda: "休庭" in party.inner_text("[data-testid=live-text]"), timeout=60)
            poll(lambda: "已保存" in clerk.inner_text("[data-testid=save-state]"), timeout=60)
            clerk.screenshot(path=str(ARTIFACTS / "transcript-clerk-1366.png"), full_page=True)
            party.screenshot(path=str(ARTIFACTS / "transcript-party-live-390.png"), full_page=True)

            clerk.click("[data-testid=start-review]")
            clerk.wait_for_selector("[data-testid=signoffs]")
            party.wait_for_selector("[data-testid=pad]", timeout=60_000)  # the live view turns into the review
            t = in_thread(lambda: Transcript.objects.get(hearing=hearing))
            assert t.status == "review" and "休庭" in t.text
            draw_and_sign(party, f"transcript:{t.pk}")
            party.screenshot(path=str(ARTIFACTS / "transcript-party-signed-390.png"), full_page=True)

            clerk_phone = browser.new_context(**PHONE).new_page()
            clerk_phone.set_default_timeout(420_000)
            sign_in(clerk_phone, server.url, "clerk")
            clerk_phone.goto(page_url)
            draw_and_sign(clerk_phone, f"transcript:{t.pk}")
            clerk_phone.screenshot(path=str(ARTIFACTS / "transcript-clerk-signed-390.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
    services.sign_code_send(ta=access_transcript_for(users["judge"], hearing.pk), actor=users["judge"])
    img = Image.new("RGBA", (1800, 720), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(120, 540), (600, 180), (960, 510), (1680, 150)], fill=(17, 17, 17, 255), width=12)
    out = io.BytesIO()
    img.save(out, "PNG")
    services.transcript_sign(ta=access_transcript_for(users["judge"], hearing.pk), actor=users["judge"],
                             strokes_png=out.getvalue(), code=latest_code(f"transcript:{t.pk}"))
    t.refresh_from_db()
    assert t.status == "completed"
    doc = Document.objects.get(case=hearing.case, kind="hearing_transcript")
    assert doc.blob_id == t.pdf_sha256

"""Two real Chromiums with fake camera and microphone: a judge and a party connect through the courtroom page,
see and hear each other (frames decoded, audio bytes received), then the judge mutes the party (the judge's side
stops receiving the party's audio after the server-rewritten renegotiation) and removes them."""

import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.asgi_server import asgi_serving

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
PASSWORD = "pw-for-tests-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUDIO_BYTES = """async () => {
  let bytes = 0;
  for (const p of window.ytRoom.peers.values()) {
    (await p.pc.getStats()).forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "audio") bytes += s.bytesReceived; });
  }
  return bytes;
}"""
RECEIVES_AUDIO = """() => {
  for (const p of window.ytRoom.peers.values()) {
    for (const t of p.pc.getTransceivers()) {
      if (t.receiver.track.kind === "audio" && ["sendrecv", "recvonly"].includes(t.currentDirection)) return true;
    }
  }
  return false;
}"""


@pytest.fixture
def server(hearing):
    with asgi_serving() as served:
        yield served


def sign_in(page, base_url, username):
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")


def poll(fn, timeout=30.0, every=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not met in time")


def video_width(page, pid):
    return page.locator(f"video[data-testid=video-{pid}]").evaluate("v => v.videoWidth")


def test_judge_and_party_see_and_hear_each_other_then_mute_and_remove(hearing, users, ready, server):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    judge_seat, party_seat = ready(hearing, users["judge"]), ready(hearing, users["plaintiff"])
    jid, pid = judge_seat.pk, party_seat.pk
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    room_url = f"{server.url}/rooms/{hearing.pk}/"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            judge = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
            party = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                        has_touch=True).new_page()
            errors = []
            for page in (judge, party):
                page.on("pageerror", lambda e: errors.append(str(e)))
            sign_in(judge, server.url, "judge")
            judge.goto(room_url)
            judge.wait_for_selector("[data-testid=emblem]")
            poll(lambda: video_width(judge, jid) > 0)  # own camera preview

            sign_in(party, server.url, "plaintiff")
            party.goto(room_url)
            party.wait_for_selector("[data-testid=room-notice]:not(.d-none)")
            assert "等候" in party.inner_text("[data-testid=room-notice]") or "waiting" in party.inner_text(
                "[data-testid=room-notice]")
            assert party.locator(f"video[data-testid=video-{jid}]").count() == 0  # nothing of the room in the lobby

            judge.click(f"[data-testid=admit-{pid}]")
            poll(lambda: video_width(judge, pid) > 0)
            poll(lambda: video_width(party, jid) > 0)
            poll(lambda: party.evaluate(AUDIO_BYTES) > 2000 and judge.evaluate(AUDIO_BYTES) > 2000)
            assert "原告" in judge.inner_text("[data-testid=video-grid]")
            assert "审判长" in party.inner_text("[data-testid=video-grid]")
            judge.screenshot(path=str(ARTIFACTS / "rooms-judge-1366.png"))
            party.screenshot(path=str(ARTIFACTS / "rooms-party-390.png"), full_page=True)

            judge.click(f"[data-testid=mute-{pid}]")
            party.wait_for_selector("[data-testid=toggle-mic][disabled]")
            assert party.evaluate("() => document.querySelector('[data-testid=toggle-mic] i').className").endswith(
                "bi-mic-mute")
            # enforced by the negotiation, not by the party's page: the judge's side no longer receives audio
            poll(lambda: not judge.evaluate(RECEIVES_AUDIO))
            poll(lambda: video_width(judge, pid) > 0)  # video still flows

            judge.once("dialog", lambda d: d.accept("扰乱法庭秩序"))
            judge.click(f"[data-testid=remove-{pid}]")
            party.wait_for_selector("#yt-room[data-finished='1']")
            assert "移出" in party.inner_text("[data-testid=room-notice]") or "removed" in party.inner_text(
                "[data-testid=room-notice]")
            poll(lambda: judge.locator(f"[data-participant-id='{pid}'] video").count() == 0)
            party.screenshot(path=str(ARTIFACTS / "rooms-party-removed-390.png"), full_page=True)
            judge.screenshot(path=str(ARTIFACTS / "rooms-judge-after-1366.png"))
            assert errors == []
        finally:
            browser.close()

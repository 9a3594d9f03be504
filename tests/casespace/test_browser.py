"""Three members in three browser contexts on the case space page: the plaintiff's messages reach the others live,
the judge mutes the defendant from the members panel, the defendant's message is refused with the muted notice and
reaches no one, and read receipts come back. Screenshots at 1366 wide and 390×844 (test-artifacts/)."""

import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.asgi_server import asgi_serving

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PASSWORD = "pw-for-tests-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server(space):
    with asgi_serving() as served:
        yield served


def sign_in(page, base_url, username):
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")


def poll(fn, timeout=20.0, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not met in time")


def log_text(page) -> str:
    return page.inner_text("[data-testid=space-log]")


def send(page, text):
    page.fill("[data-testid=space-text]", text)
    page.click("[data-testid=space-send]")


def test_judge_mutes_the_defendant_while_the_plaintiff_talks_live(space, users, server):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    did = users["defendant"].pk
    url = f"{server.url}/spaces/{space.pk}/"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
            judge = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
            plaintiff = browser.new_context(locale="zh-CN", **phone).new_page()
            defendant = browser.new_context(locale="zh-CN", **phone).new_page()
            errors = []
            for page, who in ((judge, "judge"), (plaintiff, "plaintiff"), (defendant, "defendant")):
                page.on("pageerror", lambda e: errors.append(str(e)))
                sign_in(page, server.url, who)
                page.goto(url)
                page.wait_for_selector("[data-testid=space-log]")
            time.sleep(0.5)  # sockets open
            send(plaintiff, "法官您好，请问何时调解？")
            for page in (judge, defendant):
                poll(lambda page=page: "何时调解" in log_text(page))
            # the plaintiff's message was read by the others: 已读 2
            poll(lambda: "已读 2" in plaintiff.inner_text("[data-testid=space-log]"))

            judge.click(f"[data-testid=moderate-{did}] summary")
            judge.fill(f"[data-testid=mute-reason-{did}]", "多次刷屏")
            judge.click(f"[data-testid=mute-{did}]")
            judge.wait_for_selector(f"[data-testid=unmute-{did}]", state="attached")
            poll(lambda: defendant.is_visible("[data-testid=space-error]"))
            send(defendant, "我不服！")
            poll(lambda: "禁言" in defendant.inner_text("[data-testid=space-error]"))
            time.sleep(0.5)
            assert "我不服" not in log_text(plaintiff) and "我不服" not in log_text(judge)
            assert "我不服" not in log_text(defendant)  # refused: not shown as sent either

            send(plaintiff, "原告补充：借款已逾期一年")
            for page in (judge, defendant):
                poll(lambda page=page: "逾期一年" in log_text(page))
            assert judge.is_visible(f"[data-member='{did}'] [data-muted-badge]")

            judge.screenshot(path=str(ARTIFACTS / "space-judge-1366.png"), full_page=True)
            plaintiff.screenshot(path=str(ARTIFACTS / "space-plaintiff-390.png"))
            defendant.screenshot(path=str(ARTIFACTS / "space-defendant-390.png"))
            plaintiff.click("[data-testid=members-toggle]")
            plaintiff.wait_for_selector("#space-members.show")
            time.sleep(0.4)
            plaintiff.screenshot(path=str(ARTIFACTS / "space-members-390.png"))
            assert errors == []
        finally:
            browser.close()

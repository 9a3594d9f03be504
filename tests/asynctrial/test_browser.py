"""Two parties on phones, each in their own browser at their own time: both consent and sign the pledge, the
plaintiff submits evidence, the defendant later answers it on the three properties, the plaintiff sees the
answer; the assistant's queue (1366 wide) shows the case and closing files the report.
Screenshots: test-artifacts/asynctrial-*.png."""

from contextlib import contextmanager

import pytest

from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, PASSWORD, in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}


@contextmanager
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def person(b, base, username, viewport=PHONE):
    context = b.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and "/ws/" not in m.text and page.problems.append(m.text))
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")  # in the collapsed menu on a phone
    return page


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_two_parties_at_different_times(ecase, acc, users, live_server):
    from yunting.workflows.asynctrial import services

    services.asynctrial_propose(access=acc(ecase, "assistant"), actor=users["assistant"])
    url = f"{live_server.url}/asynctrial/cases/{ecase.pk}/"
    with browser() as b:
        plaintiff = person(b, live_server.url, "plaintiff")
        plaintiff.goto(url)
        plaintiff.click("[data-testid=consent]")
        plaintiff.check("#agree")
        plaintiff.click("[data-testid=pledge]")
        assert plaintiff.locator("[data-testid=state]").inner_text() == "待同意"
        plaintiff.screenshot(path=ARTIFACTS / "asynctrial-phone-consented.png", full_page=True)

        defendant = person(b, live_server.url, "defendant")  # later, on another phone
        defendant.goto(url)
        defendant.click("[data-testid=consent]")
        defendant.check("#agree")
        defendant.click("[data-testid=pledge]")
        assert defendant.locator("[data-testid=state]").inner_text() == "进行中"
        assert defendant.locator("[data-testid=deadline]").inner_text().startswith("20")

        plaintiff.goto(url)  # the plaintiff comes back and submits evidence
        plaintiff.select_option("#kind", "evidence")
        plaintiff.fill("input[name=title]", "借条")
        plaintiff.fill("input[name=purpose]", "证明被告借款十万元")
        plaintiff.fill("[data-testid=post-text]", "借条原件照片，载明借款十万元")
        plaintiff.click("[data-testid=post-submit]")
        plaintiff.wait_for_selector("[data-testid=item][data-kind=evidence]")

        defendant.goto(url)  # the defendant answers it another time
        item = defendant.locator("[data-testid=item][data-kind=evidence]")
        assert item.locator("[data-testid=new]").count() == 1
        item.locator("[data-testid=answer-evidence] summary").click()
        for prop, pos in (("authenticity", "reject"), ("legality", "accept"), ("relevance", "partial")):
            item.locator(f"label[for$='_{prop}_{pos}']").click()
        item.locator("input[name=reason_authenticity]").fill("签名不是本人")
        item.locator("input[name=reason_relevance]").fill("只借了五万")
        item.locator("textarea[name=text]").fill("借条真实性不认可")
        defendant.screenshot(path=ARTIFACTS / "asynctrial-phone-answering.png", full_page=True)
        item.locator("[data-testid=submit-opinion]").click()
        defendant.wait_for_selector("[data-testid=item][data-kind=opinion]")
        assert no_horizontal_scroll(defendant)

        plaintiff.goto(url)
        opinion = plaintiff.locator("[data-testid=item][data-kind=opinion]")
        assert "签名不是本人" in opinion.inner_text() and opinion.locator("[data-testid=new]").count() == 1
        assert no_horizontal_scroll(plaintiff)
        plaintiff.screenshot(path=ARTIFACTS / "asynctrial-phone-plaintiff.png", full_page=True)
        plaintiff.goto(f"{live_server.url}/asynctrial/")  # the party's list: its exchange and its notices
        assert plaintiff.locator("[data-testid=mine-row]", has_text=ecase.number).count() == 1
        assert plaintiff.locator("[data-testid=notices]").count() == 1 and no_horizontal_scroll(plaintiff)
        plaintiff.screenshot(path=ARTIFACTS / "asynctrial-phone-list.png", full_page=True)

        assistant = person(b, live_server.url, "assistant", WIDE)
        assistant.goto(f"{live_server.url}/asynctrial/")
        row = assistant.locator("[data-testid=queue-row]", has_text=ecase.number)
        assert row.locator("[data-testid=unread]").count() == 1
        assistant.screenshot(path=ARTIFACTS / "asynctrial-wide-queue.png", full_page=True)
        assistant.goto(url)
        assert "签名不是本人" in assistant.locator("[data-testid=disputed]").inner_text()
        assistant.click("[data-testid=close]")
        assistant.wait_for_selector("[data-testid=report-link]")
        assistant.screenshot(path=ARTIFACTS / "asynctrial-wide-closed.png", full_page=True)
        for page in (plaintiff, defendant, assistant):
            assert page.problems == []

    def report_filed():
        from yunting.workflows.asynctrial.models import Exchange

        return Exchange.objects.get(case=ecase).report_document_id

    assert in_thread(report_filed)

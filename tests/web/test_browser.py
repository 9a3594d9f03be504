"""Real Chromium against a live server: a judge reads a document in the pdf.js viewer, a court administrator
reviews the read log in English, and a case page receives a new journal entry over its WebSocket."""

import asyncio
import contextlib
import threading
from pathlib import Path

import pytest
from django.conf import settings

from tests.asgi_server import asgi_serving

CHROMIUM = Path("/usr/bin/chromium")
VENDOR = Path(settings.BASE_DIR) / "assets" / "vendor"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PASSWORD = "pw-for-tests-123"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scenario(make_case, users, add_document):
    """A loan case with a complaint, a two-page IOU and a trial report (副卷), plus a second case."""
    case = make_case(claim_amount=100000)
    make_case(cause="房屋租赁合同纠纷", defendant_name="赵六")
    add_document(case, users["lawyer"], title="民事起诉状",
                 body="原告张伟诉被告李娜民间借贷纠纷一案。\n诉讼请求：判令被告归还借款本金人民币十万元及利息。" * 3)
    add_document(case, users["lawyer"], title="借条", body="今借到张伟人民币壹拾万元整，借款人：李娜。", kind="evidence",
                 pages=2)
    add_document(case, users["judge"], title="审理报告", body="合议庭评议意见。", kind="trial_report",
                 entry_kind="efile.document_added")
    return case


@contextlib.contextmanager
def chromium_page():
    """A zh-CN Chromium page that collects console errors. Start it only after the data exists: Playwright's
    sync API runs an event loop in this thread, and Django refuses ORM calls while one is running."""
    if not (VENDOR / "pdfjs" / "pdf.min.mjs").exists():
        pytest.skip("front-end assets missing: run scripts/vendor_assets.sh to fill assets/vendor/")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: apt-get install chromium fonts-noto-cjk")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        try:
            yield page
        finally:
            browser.close()


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]")


def wsgi_problems(page) -> list[str]:
    # pytest-django's live server speaks plain WSGI, so the case feed's WebSocket cannot connect there. The page
    # degrades quietly (the badge says "refresh for updates"), but the browser still logs the failed handshake.
    problems = [p for p in page.problems if "/ws/cases/" not in p]
    # hx-sync="this:replace" aborts a request still in flight when the next one starts (the cause search: one on
    # focus, one as the name is typed); htmx logs each abort as htmx:sendAbort plus htmx:afterRequest. A replaced
    # request is the design, not a fault — on a busy machine the first one is simply slower.
    aborts = sum(1 for p in problems if p.startswith("htmx:sendAbort"))
    kept = []
    for p in problems:
        if p.startswith("htmx:sendAbort"):
            continue
        if p.startswith("htmx:afterRequest") and aborts:
            aborts -= 1
            continue
        kept.append(p)
    return kept


def canvas_has_ink(page) -> bool:
    """True when the rendered page has dark pixels: pdf.js drew the (Chinese, CID-font) text, not just white."""
    return page.evaluate("""() => {
        const c = document.querySelector('[data-role=canvas]');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let dark = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] < 128 && d[i + 1] < 128 && d[i + 2] < 128) dark++;
        return dark > 200;
    }""")


def test_judge_reads_a_document_in_the_efile(scenario, live_server):
    case = scenario
    with chromium_page() as page:
        page.goto(live_server.url + "/")
        page.wait_for_selector("#id_username")
        page.screenshot(path=str(ARTIFACTS / "01-login.png"))
        sign_in(page, live_server.url, "judge")
        assert page.locator(f"text={case.number}").count() == 1
        page.screenshot(path=str(ARTIFACTS / "02-workbench.png"), full_page=True)
        page.fill("#id_q", "租赁")  # HTMX swaps in the filtered table as the clerk types
        # predicates are functions, not expression strings: the page's Content-Security-Policy forbids eval
        page.wait_for_function("() => document.querySelectorAll('#case-results tbody tr').length === 1")
        assert case.number not in page.inner_text("#case-results")
        page.goto(live_server.url + "/")

        page.click(f"text={case.number}")
        page.wait_for_selector("[data-testid=case-number]")
        page.screenshot(path=str(ARTIFACTS / "03-case.png"), full_page=True)

        page.click("[data-testid=efile-link]")
        page.wait_for_selector("#efile-tree")
        tree = page.inner_text("#efile-tree")
        for text in ("正卷", "起诉与受理", "证据材料", "副卷", "审理报告"):
            assert text in tree
        page.click("#efile-tree a.yt-doc:has-text('借条')")
        page.wait_for_selector("[data-rendered-page='1']", timeout=20000)
        assert page.inner_text("[data-testid=viewer-title]") == "借条"
        assert "?doc=" in page.url  # HTMX pushed the document's address, so a reload shows it again
        page.screenshot(path=str(ARTIFACTS / "04-efile-viewer.png"), full_page=True)
        assert canvas_has_ink(page)

        page.click("[data-action=next]")
        page.wait_for_selector("[data-rendered-page='2']", timeout=20000)
        assert page.input_value("[data-role=page]") == "2"
        page.click("[data-action=zoom-in]")
        page.wait_for_function("() => document.querySelector('[data-role=zoom]').textContent === '125%'")
        assert canvas_has_ink(page)

        page.reload()
        page.wait_for_selector("[data-rendered-page='1']", timeout=20000)
        assert page.inner_text("[data-testid=viewer-title]") == "借条"
        assert wsgi_problems(page) == []


def test_court_admin_reviews_the_read_log_in_english(scenario, live_server):
    with chromium_page() as page:
        sign_in(page, live_server.url, "judge")
        page.goto(f"{live_server.url}/cases/{scenario.pk}/")
        page.wait_for_selector("[data-testid=case-number]")
        page.context.clear_cookies()
        sign_in(page, live_server.url, "court_admin")
        page.click("text=阅卷日志")
        page.wait_for_selector("h1:has-text('阅卷日志')")
        page.click(".bi-translate")
        page.click("button[name=language][value=en]")
        page.wait_for_selector("h1:has-text('Read log')")
        body = page.inner_text("main")
        assert "Viewed case" in body and "王立明" in body and "Viewed party personal data" in body  # the judge, by name
        page.screenshot(path=str(ARTIFACTS / "05-read-log-en.png"), full_page=True)
        assert wsgi_problems(page) == []


@pytest.fixture
def asgi_server(scenario):
    """Yunting's ASGI app (HTTP + WebSocket) under uvicorn in a thread, with its event loop exposed."""
    with asgi_serving() as served:
        yield served


def in_thread(fn):
    """Run ORM work off the Playwright thread (see chromium_page)."""
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("value", fn()))
    worker.start()
    worker.join(30)
    return result["value"]


def test_case_page_receives_new_journal_entries_live(scenario, users, asgi_server):
    from channels.layers import get_channel_layer

    from yunting.core.journal.services import journal_append
    from yunting.interfaces.realtime.consumers import case_group

    case = scenario
    with chromium_page() as page:
        sign_in(page, asgi_server.url, "judge")
        page.goto(f"{asgi_server.url}/cases/{case.pk}/")
        page.wait_for_selector("#journal-live[data-state=on]", timeout=15000)

        entry = in_thread(lambda: journal_append(case=case, kind="hearing.scheduled", actor=users["clerk"]))
        # What yunting.interfaces.realtime.consumers.broadcast_entry sends, sent on the server's own loop (the
        # in-memory channel layer's queues belong to it).
        message = {"type": "journal.entry", "entry": {"seq": entry.seq, "kind": entry.kind, "actor": entry.actor_label,
                                                      "recorded_at": entry.recorded_at.isoformat()}}
        asyncio.run_coroutine_threadsafe(get_channel_layer().group_send(case_group(case.pk), message),
                                         asgi_server.loop).result(10)

        item = page.wait_for_selector(f"#journal-timeline li[data-seq='{entry.seq}']", timeout=10000)
        assert "已排期开庭" in item.inner_text() and "刘晓燕" in item.inner_text()
        first = page.locator("#journal-timeline li").first
        assert first.get_attribute("data-seq") == str(entry.seq)
        page.screenshot(path=str(ARTIFACTS / "06-case-live.png"), full_page=True)
        assert page.problems == []

"""Real Chromium: the verify page hashes a dropped PDF in the browser (the file is not uploaded) and re-checks
the proof and the Ed25519 tree-head signature with WebCrypto."""

import contextlib
import hashlib
from pathlib import Path

import pytest

from .helpers import add_document

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def chromium_page():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.problems = []
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        try:
            yield page
        finally:
            browser.close()


def test_browser_hashes_locally_and_verifies_the_proof(live_server, make_case, users, tmp_path):
    case = make_case()
    for i in range(4):  # a few leaves, so the audit path has some length
        _, pdf = add_document(case, users["lawyer"], body=f"浏览器核验 {i}")
    doc = tmp_path / "ruling.pdf"
    doc.write_bytes(pdf)
    sha = hashlib.sha256(pdf).hexdigest()
    base = live_server.url.replace("127.0.0.1", "localhost")  # a secure context, so WebCrypto is there
    with chromium_page() as page:
        uploads = []
        page.on("request", lambda r: r.method == "POST" and uploads.append(r.url))
        page.goto(base + "/verify/")
        page.set_input_files("#file", str(doc))
        page.click("button[type=submit]")
        page.wait_for_url(f"**/verify/?sha256={sha}")
        assert not page.is_visible("#browser-check")  # the proof steps are folded under 技术细节
        page.click("#tech > summary")
        page.wait_for_selector("#browser-check.ok, #browser-check.bad", timeout=10_000)
        check = page.inner_text("#browser-check")
        assert "ok" in page.get_attribute("#browser-check", "class").split(), check
        assert "浏览器独立核验通过" in check
        assert "签名有效" in check or "签名已由本院服务器核验" in check
        assert uploads == [] and page.problems == []
        if __import__("os").environ.get("YUNTING_SHOT"):
            page.screenshot(path=__import__("os").environ["YUNTING_SHOT"], full_page=True)
        assert "文件已记录于本院账本" in page.inner_text("#verdict")

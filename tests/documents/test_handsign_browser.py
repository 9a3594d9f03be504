"""Real Chromium: a party draws a signature on the canvas with pointer events and the paper is signed."""

from pathlib import Path

import pytest

from yunting.core.journal.models import JournalEntry
from yunting.core.papers.models import Paper

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_party_signs_a_transcript_on_the_canvas(make_case, users, live_server):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    from yunting.core.papers.services import paper_draft, paper_issue

    case = make_case()
    paper = paper_issue(paper=paper_draft(case=case, template_code="hearing_transcript", actor=users["clerk"],
                                          values={"held_at": "2026-12-15T09:30", "record": "审判员：现在开庭。"}),
                        actor=users["clerk"])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(locale="zh-CN", viewport={"width": 800, "height": 1000}, has_touch=True).new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(live_server.url + "/login/")
        page.fill("#id_username", "plaintiff")
        page.fill("#id_password", "pw-for-tests-123")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=user-menu]")
        page.goto(f"{live_server.url}/papers/{paper.pk}/handsign/")
        assert page.is_disabled("#submit")  # nothing drawn yet
        box = page.locator("#pad").bounding_box()
        page.mouse.move(box["x"] + 40, box["y"] + 120)
        page.mouse.down()
        for i in range(1, 30):
            page.mouse.move(box["x"] + 40 + i * 15, box["y"] + 120 + (30 if i % 2 else -30), steps=2)
        page.mouse.up()
        assert not page.is_disabled("#submit")
        page.click("#submit")
        page.wait_for_selector("text=签名完成")
        browser.close()
    assert not errors
    entry = JournalEntry.objects.get(kind="papers.handsigned")
    assert entry.actor_id == users["plaintiff"].pk and "Chrome" in entry.payload["device"]
    assert Paper.objects.get(pk=paper.pk).signed_slots == ["party"]
    import io

    from PIL import Image

    from yunting.kernel.blobs.store import blob_read

    strokes = Image.open(io.BytesIO(blob_read(entry.payload["strokes_sha256"])))
    assert strokes.getchannel("A").getbbox() is not None  # the drawn ink reached the server

"""Real Chromium: the verify page's answer for a party's material and for a sealed court ruling — the plain
answer first, the proof folded under 技术细节, no WCAG 2 A/AA violation, nothing wider than a 390 px phone, and the
public switches the whole page to English. Screenshots go to test-artifacts/verify-*.png."""

import pytest

from tests.web.test_browser import ARTIFACTS, chromium_page
from tests.web.test_phone_and_a11y_browser import DESK, PHONE, axe_violations, no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def documents(make_case, users, add_document):
    from yunting.core.papers.services import paper_draft, paper_issue, paper_seal, paper_sign, paper_update

    case = make_case()
    forged = add_document(case, "lawyer", title="民事判决书", kind="judgment", entry_kind="efile.document_submitted")
    paper = paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    paper_update(paper=paper, actor=users["judge"], values={
        "withdraw_date": "2026-03-01", "fee": "25.00", "reasoning": "原告申请撤诉，应予准许。"})
    paper = paper_seal(paper=paper_sign(paper=paper_issue(paper=paper, actor=users["judge"]), actor=users["clerk"]),
                       actor=users["court_admin"])
    return {"party": forged.blob_id, "court": paper.pdf_sha256}


def test_the_answer_comes_first_and_the_page_is_accessible(documents, live_server):
    base = live_server.url.replace("127.0.0.1", "localhost")
    with chromium_page() as page:
        for who, sha in documents.items():
            for name, size in (("phone", PHONE), ("desk", DESK)):
                page.set_viewport_size(size)
                page.goto(f"{base}/verify/?sha256={sha}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(ARTIFACTS / f"verify-{who}-{name}.png"), full_page=True)
                assert no_overflow(page), f"{who} on {name}: wider than the screen"
                issuer = page.locator("#issuer")
                assert issuer.is_visible() and issuer.get_attribute("data-issued-by") == who
                assert not page.is_visible("#browser-check")  # folded under 技术细节
            assert axe_violations(page) == [], who
        assert "当事人提交的材料" in page.inner_text("#issuer") or "本院签发的文书" in page.inner_text("#issuer")
        page.goto(f"{base}/verify/?sha256={documents['party']}")
        page.click("[data-testid=language-switch] button[value=en]")
        page.wait_for_selector("html[lang=en]")
        assert page.inner_text("#issuer").startswith("Material submitted by a party")
        page.screenshot(path=str(ARTIFACTS / "verify-party-en.png"), full_page=True)
        assert axe_violations(page) == []


def test_the_efile_shows_one_document_per_paper_on_a_phone(documents, live_server, users):
    from tests.web.test_browser import in_thread, sign_in
    from yunting.core.efile.models import Document

    case_id = in_thread(lambda: Document.objects.get(blob_id=documents["court"]).case_id)
    base = live_server.url
    with chromium_page() as page:
        page.set_viewport_size(DESK)
        sign_in(page, base, "judge")
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/cases/{case_id}/efile/")
        page.wait_for_load_state("networkidle")
        tree = page.locator("#efile-tree")
        assert tree.locator("a.yt-doc:has-text('民事裁定书')").count() == 1
        history = tree.locator("[data-testid=history]")
        assert history.count() == 1 and "3" in history.locator("summary").inner_text()
        history.locator("summary").click()
        assert history.locator("li").count() == 3
        page.screenshot(path=str(ARTIFACTS / "efile-history-phone.png"), full_page=True)
        assert no_overflow(page)
        assert axe_violations(page) == []

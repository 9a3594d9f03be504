"""Real Chromium: the pages parties, lawyers and mediators use work at phone size (390×844: nothing wider than
the screen, the key content visible), and axe-core finds no WCAG 2 A/AA violation on the key pages of every role.
Screenshots go to test-artifacts/ (phone-*.png, desk-*.png) to be looked at."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from .test_browser import ARTIFACTS, chromium_page, in_thread, sign_in

AXE = Path(settings.BASE_DIR) / "assets" / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted(users):
    from tests.filing.conftest import good_payload
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    def make(user="plaintiff", **over):
        return filing_submit(filing=filing_save_draft(filer=users[user], data=good_payload(**over)),
                             actor=users[user])

    return make


@pytest.fixture
def world(make_case, users, add_document, submitted):
    """A loan case the plaintiff, the lawyer and a mediator take part in, with documents and a long journal; a
    submitted filing and a draft of the plaintiff's."""
    from yunting.core.journal.services import journal_append
    from yunting.workflows.filing.services import filing_save_draft

    case = make_case(participants=("judge", "clerk", "lawyer", "mediator"), claim_amount=1608100)
    add_document(case, users["lawyer"], title="民事起诉状")
    add_document(case, users["lawyer"], title="借条", kind="evidence", pages=2)
    for _ in range(25):
        journal_append(case=case, kind="hearing.scheduled", actor=users["clerk"])
    filing = submitted()
    draft = filing_save_draft(filer=users["plaintiff"], data={"court": "粤0306", "case_type": "民初"})
    return {"case": case, "filing": filing, "draft": draft}


def sign_in_on_phone(page, base: str, who: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(DESK)  # the helper waits for the user menu, which a phone folds into the menu button
    sign_in(page, base, who)
    page.set_viewport_size(PHONE)


def no_overflow(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def check_phone(page, url: str, name: str, visible: str) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{name}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert no_overflow(page), f"{name}: page is {width[0]} px wide on a {width[1]} px screen"
    assert page.locator(visible).first.is_visible(), f"{name}: {visible} not visible"


def axe_violations(page) -> list[dict]:
    # evaluated through the DevTools protocol: an injected <script> would be refused by the page's
    # Content-Security-Policy, which allows no inline script without the page's nonce
    page.evaluate(AXE.read_text())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
    return result


def test_party_and_lawyer_pages_work_on_a_phone(world, live_server):
    case, filing, draft = world["case"], world["filing"], world["draft"]
    base = live_server.url
    with chromium_page() as page:
        page.set_viewport_size(PHONE)
        check_phone(page, base + "/login/", "login", "#id_username")
        check_phone(page, base + "/accounts/register/", "register", "#id_id_number")
        check_phone(page, base + "/verify/", "verify", "h1")
        sign_in_on_phone(page, base, "plaintiff")
        check_phone(page, base + "/", "party-workbench", f"text={case.number}")
        assert page.locator(f"tr:has-text('{case.number}') td[data-label='我的角色'] .badge").first.is_visible()
        check_phone(page, f"{base}/cases/{case.pk}/", "party-case", "[data-testid=case-number]")
        assert page.locator("main td:has-text('张伟')").first.is_visible() and page.locator("main td:has-text('李娜')").first.is_visible()
        assert page.locator("[data-testid=security-level]").count() == 0  # no 内部 badge for a party
        assert page.locator("[data-testid=papers-link]").count() == 0  # no tab that would answer 404
        check_phone(page, f"{base}/cases/{case.pk}/efile/", "party-efile", "#efile-tree")
        check_phone(page, base + "/filing/", "party-filings", "[data-testid=new-filing]")
        check_phone(page, f"{base}/filing/{draft.pk}/edit/", "party-filing-form", "[data-testid=submit]")
        # on a phone the submit step comes after the evidence and the fee
        order = page.evaluate("""() => ['step-evidence', 'fee-preview', 'step-submit'].map(
            id => document.getElementById(id).getBoundingClientRect().top + window.scrollY)""")
        assert order == sorted(order)
        check_phone(page, f"{base}/filing/{filing.pk}/", "party-filing-detail", "[data-testid=filing-status]")
        sign_in_on_phone(page, base, "lawyer")
        check_phone(page, base + "/", "lawyer-workbench", f"text={case.number}")
        check_phone(page, f"{base}/cases/{case.pk}/", "lawyer-case", "[data-testid=case-number]")
        check_phone(page, f"{base}/cases/{case.pk}/efile/", "lawyer-efile", "#efile-tree")
        sign_in_on_phone(page, base, "mediator")
        check_phone(page, f"{base}/cases/{case.pk}/", "mediator-case", "[data-testid=case-number]")


def test_key_pages_of_every_role_have_no_wcag_violations(world, live_server, users):
    from yunting.core.papers.services import paper_draft

    case, filing = world["case"], world["filing"]
    paper = in_thread(lambda: paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"]))
    base = live_server.url
    pages = {
        None: ["/login/", "/accounts/register/", "/verify/"],
        "plaintiff": ["/", f"/cases/{case.pk}/", f"/cases/{case.pk}/efile/", "/filing/",
                      f"/filing/{world['draft'].pk}/edit/", f"/filing/{filing.pk}/"],
        "lawyer": ["/", f"/cases/{case.pk}/efile/"],
        "judge": [f"/cases/{case.pk}/", f"/papers/cases/{case.pk}/", f"/papers/{paper.pk}/"],
        "filing_officer": ["/filing/review/", f"/filing/{filing.pk}/"],
        "court_admin": ["/admin-tools/read-log/"],
    }
    found = {}
    with chromium_page() as page:
        page.set_viewport_size(DESK)
        for who, urls in pages.items():
            page.context.clear_cookies()
            if who:
                sign_in(page, base, who)
            for url in urls:
                assert page.goto(base + url).status == 200, url
                page.wait_for_load_state("networkidle")
                name = (who or "public") + url.replace("/", "-").rstrip("-")
                page.screenshot(path=str(ARTIFACTS / f"desk-{name}.png"), full_page=True)
                violations = axe_violations(page)
                if violations:
                    found[f"{who} {url}"] = violations
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


FIT_PAGES = {  # name: (who, url from the world, element to wait for)
    "login": (None, lambda w: "/login/", "#id_username"),
    "register": (None, lambda w: "/accounts/register/", "#id_id_number"),
    "verify": (None, lambda w: "/verify/", "h1"),
    "party-workbench": ("plaintiff", lambda w: "/", "main"),
    "party-case": ("plaintiff", lambda w: f"/cases/{w['case'].pk}/", "[data-testid=case-number]"),
    "party-filings": ("plaintiff", lambda w: "/filing/", "[data-testid=new-filing]"),
    "party-filing-form": ("plaintiff", lambda w: f"/filing/{w['draft'].pk}/edit/", "[data-testid=submit]"),
    "party-filing-detail": ("plaintiff", lambda w: f"/filing/{w['filing'].pk}/", "[data-testid=filing-status]"),
    "lawyer-efile": ("lawyer", lambda w: f"/cases/{w['case'].pk}/efile/", "#efile-tree"),
}


@pytest.mark.parametrize("name", FIT_PAGES)
def test_page_fits_a_phone(name, world, live_server):
    """No sideways scrolling at 390, nothing past the screen's edge, buttons a finger can hit (≥ 40 px)."""
    from tests.web.phonefit import assert_fits, chromium

    who, url, ready = FIT_PAGES[name]
    with chromium() as browser:
        assert_fits(browser, live_server.url, name=f"web-{name}", url=url(world), who=who, ready=ready)

"""The Content-Security-Policy holds and every page still works: Chromium visits the main pages of every role
(sign-in, registration, my cases, a case, its e-file with the PDF viewer, filing pages, the review queue,
papers, batch sealing, the read log, the public verify page) and not one CSP violation is reported."""

from pathlib import Path

import pytest

from .test_browser import ARTIFACTS, PASSWORD, chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @ ' + e.sourceFile + ':' + e.lineNumber));
"""


@pytest.fixture
def world(make_case, users, add_document):
    from yunting.core.papers.services import paper_draft, paper_issue
    from yunting.workflows.filing.services import filing_save_draft, filing_submit

    case = make_case(claim_amount=100000)
    document = add_document(case, users["lawyer"], title="民事起诉状", body="原告张伟诉被告李娜民间借贷纠纷一案。")
    add_document(case, users["judge"], title="审理报告", body="合议庭评议意见。", kind="trial_report")
    transcript = paper_issue(paper=paper_draft(case=case, template_code="hearing_transcript", actor=users["clerk"],
                                               values={"held_at": "2026-12-15T09:30", "record": "审判员：现在开庭。"}),
                             actor=users["clerk"])
    draft = paper_draft(case=case, template_code="withdrawal_ruling", actor=users["judge"])
    from tests.filing.conftest import good_payload

    filing = filing_submit(filing=filing_save_draft(filer=users["plaintiff"], data=good_payload()),
                           actor=users["plaintiff"])
    return {"case": case, "document": document, "transcript": transcript, "draft": draft, "filing": filing}


def _pages(w) -> dict[str, list[str]]:
    c, d = w["case"].pk, w["document"].pk
    common = ["/", f"/cases/{c}/", f"/cases/{c}/efile/?doc={d}", "/filing/", "/verify/"]
    return {
        "": ["/login/", "/accounts/register/", "/verify/"],
        "judge": [*common, f"/papers/cases/{c}/", f"/papers/{w['draft'].pk}/"],
        "clerk": [f"/cases/{c}/efile/?doc={d}", f"/papers/{w['transcript'].pk}/"],
        "court_admin": ["/admin-tools/read-log/", "/papers/seal/", "/filing/review/"],
        "filing_officer": ["/filing/review/", f"/filing/{w['filing'].pk}/"],
        "lawyer": common,
        "plaintiff": [*common, f"/filing/{w['filing'].pk}/", f"/papers/{w['transcript'].pk}/handsign/"],
        "mediator": ["/", "/filing/"],
    }


def _sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]")


def test_no_page_of_any_role_violates_the_content_security_policy(world, live_server):
    violations, visited = [], 0
    with chromium_page() as page:
        page.add_init_script(COLLECT)
        page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
        for role, urls in _pages(world).items():
            if role:
                _sign_in(page, live_server.url, role)
            for url in urls:
                response = page.goto(live_server.url + url)
                assert response.status == 200, (role, url, response.status)
                policy = response.headers.get("content-security-policy", "")
                assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy, url
                if "doc=" in url:  # the pdf.js viewer (module, worker, fonts) must render under the policy
                    page.wait_for_selector("[data-rendered-page='1']", timeout=20000)
                page.wait_for_load_state("networkidle")
                violations += [f"{role or 'anonymous'} {url}: {v}" for v in page.evaluate("window.__csp")]
                visited += 1
        _sign_in(page, live_server.url, "plaintiff")  # a party signs on a phone, under the same policy
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/papers/{world['transcript'].pk}/handsign/")
        page.wait_for_selector("#pad")
        page.screenshot(path=str(Path(ARTIFACTS) / "csp-handsign-390.png"))
        violations += page.evaluate("window.__csp")
        found = list(violations)
        # control: the detectors do see a violation when there is one (an inline style attribute)
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')")
        page.wait_for_function("() => window.__csp.length > 0")
    assert len(violations) > len(found)  # the console collector saw the control too
    violations = found
    assert visited >= 25
    assert violations == []


def test_pages_say_what_they_allow(cast, client):
    policy = client.get("/login/")["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'self'", "base-uri 'self'"):
        assert directive in policy
    assert client.get("/login/")["Referrer-Policy"] == "same-origin"

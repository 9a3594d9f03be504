"""Real Chromium: the party's case page shows who judges the case at phone size (390×844) and the court's
pages render at 1366; screenshots go to test-artifacts/court-*.png to be looked at."""

import pytest

from tests.web.test_browser import ARTIFACTS, PASSWORD, chromium_page, sign_in, wsgi_problems

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(setup_court, make_case, users):
    from yunting.core.courts import services as s

    for u in (setup_court.head, setup_court.judges["zhang"]):
        u.set_password(PASSWORD)
        u.save()
    case = make_case(participants=("lawyer",), claim_amount=100000)
    s.case_assign(case=case, actor=users["filing_officer"], judge=setup_court.judges["zhang"].pk,
                  clerk=users["clerk"].pk, assistant=users["assistant"].pk, procedure="simple", reason="指定承办")
    waiting = [make_case(participants=()) for _ in range(2)]
    return {"case": case, "waiting": waiting}


def _shot(page, url, name, visible):
    response = page.goto(url)
    assert response.status == 200, f"{name}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / f"court-{name}.png"), full_page=True)
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name}: page is {width[0]} px wide on a {width[1]} px screen"
    assert page.locator(visible).first.is_visible(), f"{name}: {visible} not visible"


def test_parties_see_the_judge_on_a_phone_and_court_pages_render(world, live_server):
    case = world["case"]
    base = live_server.url
    with chromium_page() as page:
        for who in ("plaintiff", "lawyer"):
            page.context.clear_cookies()
            page.set_viewport_size(DESK)
            sign_in(page, base, who)
            page.set_viewport_size(PHONE)
            _shot(page, f"{base}/cases/{case.pk}/", f"{who}-case-phone", "[data-testid=case-lifecycle]")
            assert page.locator("[data-testid=lifecycle-judge]").inner_text() == "张法官"
            assert page.locator("[data-testid=lifecycle-status]").inner_text() == "审理中"
            assert page.locator("text=变更承办法官").count() == 0
        page.context.clear_cookies()
        page.set_viewport_size(DESK)
        sign_in(page, base, "j_zhang")
        _shot(page, f"{base}/court/work/", "judge-workbench-desk", f"text={case.number}")
        page.set_viewport_size(PHONE)
        _shot(page, f"{base}/court/work/", "judge-workbench-phone", f"text={case.number}")
        page.context.clear_cookies()
        page.set_viewport_size(DESK)
        sign_in(page, base, "h_fast")
        _shot(page, f"{base}/court/work/", "head-workbench-desk", "[data-testid=division-cases]")
        _shot(page, f"{base}/cases/{case.pk}/", "head-case-desk", "text=变更承办法官")
        page.context.clear_cookies()
        sign_in(page, base, "filing_officer")
        _shot(page, f"{base}/court/assign/", "assign-queue-desk", "[data-testid=assign-all]")
        page.click("[data-testid=assign-all]")
        page.wait_for_selector("[data-testid=assign-results]")
        page.screenshot(path=str(ARTIFACTS / "court-assign-results-desk.png"), full_page=True)
        assert "速裁团队" in page.locator("[data-testid=assign-results]").inner_text()
        page.context.clear_cookies()
        sign_in(page, base, "court_admin")
        _shot(page, f"{base}/court/", "admin-desk", "[data-testid=court-counts]")
        _shot(page, f"{base}/court/people/", "people-desk", "text=张法官")
        assert wsgi_problems(page) == []  # no console error, no CSP violation

"""Real Chromium: the 期限 panel on the case page at 1366 and at 390 (a party's phone: nothing wider than the
screen), the judge suspends from it, and the warning list. Screenshots go to test-artifacts/clocks-*.png."""

from datetime import timedelta

import pytest

from tests.web.test_browser import ARTIFACTS, chromium_page, sign_in, wsgi_problems
from yunting.kernel.common.timeutil import shanghai_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


@pytest.fixture
def world(dated_case, users, access_of):
    from yunting.core.clocks import services
    from yunting.kernel.calendar.periods import add_months, nth_working_day_after

    today = shanghai_today()
    start = add_months(nth_working_day_after(today, 2), -3)  # the 3-month simple-procedure period ends soon
    case = dated_case(start.isoformat(), "simple")
    late = dated_case((today - timedelta(days=100)).isoformat(), "small_claims")
    defendant = case.parties.get(role="defendant")
    services.service_register(access=access_of(users["clerk"], case), actor=users["clerk"],
                              document_kind="complaint", served_on=(today - timedelta(days=3)).isoformat(),
                              party_id=defendant.pk)
    return {"case": case, "late": late}


def fits(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def test_deadlines_panel_at_desk_and_phone(world, live_server):
    case, base = world["case"], live_server.url
    with chromium_page() as page:
        page.set_viewport_size(DESK)
        sign_in(page, base, "judge")
        page.goto(f"{base}/cases/{case.pk}/")
        panel = page.locator("[data-testid=deadlines-panel]")
        assert panel.is_visible() and panel.locator("[data-testid=deadline]").count() == 3
        assert panel.locator("[data-kind=trial-simple]").get_attribute("data-status") == "near"
        page.locator("[data-testid=clock-actions] summary").click()
        page.screenshot(path=str(ARTIFACTS / "clocks-judge-case-1366.png"), full_page=True)
        page.fill("#suspend-on", shanghai_today().isoformat())
        page.fill("#suspend-reason", "等待另案审理结果")
        page.locator("form[action$='/suspend/'] button[type=submit]").click()
        page.wait_for_selector("[data-kind=trial-simple][data-status=suspended]")
        page.goto(f"{base}/clocks/")
        assert page.locator(f"tr:has-text('{world['late'].number}')").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / "clocks-judge-warnings-1366.png"), full_page=True)
        assert not wsgi_problems(page), page.problems
        page.context.clear_cookies()
        sign_in(page, base, "lawyer")
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/cases/{case.pk}/")
        panel = page.locator("[data-testid=deadlines-panel]")
        panel.scroll_into_view_if_needed()
        assert panel.is_visible() and panel.locator("[data-testid=deadline]").count() == 3
        assert page.locator("[data-testid=clock-actions]").count() == 0
        assert fits(page)
        page.screenshot(path=str(ARTIFACTS / "clocks-lawyer-case-390.png"), full_page=True)
        panel.screenshot(path=str(ARTIFACTS / "clocks-lawyer-panel-390.png"))
        page.set_viewport_size(DESK)
        page.goto(f"{base}/cases/{case.pk}/")
        page.screenshot(path=str(ARTIFACTS / "clocks-lawyer-case-1366.png"), full_page=True)
        assert fits(page)

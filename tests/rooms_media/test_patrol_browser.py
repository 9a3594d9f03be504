"""Real Chromium on the patrol page with the demo's suspicions: the clerk confirms one (the notice to the bar
association is filed) and dismisses another, at 1366 and on a 390×844 phone (nothing wider than the screen).
Screenshots go to test-artifacts/patrol-*.png."""

import pytest

from tests.web.test_browser import ARTIFACTS, chromium_page, sign_in, wsgi_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


@pytest.fixture
def demo(cast):
    from yunting.core.rooms.demo import rooms_demo
    from yunting.core.rooms.media.demo import rooms_media_demo

    orgs, users = cast
    rooms_demo(orgs=orgs, users=users, password="pw-for-tests-123")
    return rooms_media_demo(orgs=orgs, users=users)


def fits(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def test_clerk_confirms_and_dismisses_at_desk_and_phone(demo, live_server):
    from yunting.core.rooms.media.models import PatrolEvent

    base = live_server.url
    loud = PatrolEvent.objects.get(run__session_id=demo["session_id"], kind="loud_noise")
    extra = PatrolEvent.objects.get(run__session_id=demo["session_id"], kind="extra_person")
    with chromium_page() as page:
        page.set_viewport_size(DESK)
        sign_in(page, base, "clerk")
        page.locator("[data-testid=nav-patrol]").click()  # court staff reach it from the navbar
        rows = page.locator("[data-testid=patrol-event]")
        assert rows.count() == 3
        page.screenshot(path=str(ARTIFACTS / "patrol-clerk-1366.png"), full_page=True)
        assert fits(page)
        row = page.locator(f"[data-testid=patrol-event][data-event='{loud.pk}']")
        assert "00:00:31" in row.inner_text()
        assert row.locator("[data-testid=watch]").get_attribute("href").endswith("/content#t=31")
        row.locator("input[name=note]").fill("代理人当庭喧哗，经核实属实")
        row.locator("button[value=confirm]").click()
        page.wait_for_selector("[data-testid=patrol-event] >> nth=1")
        assert page.locator("[data-testid=patrol-event]").count() == 2
        assert page.locator(".alert-success").count() == 1
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/rooms-media/patrol/")
        assert fits(page)
        page.screenshot(path=str(ARTIFACTS / "patrol-clerk-390.png"), full_page=True)
        row = page.locator(f"[data-testid=patrol-event][data-event='{extra.pk}']")
        row.scroll_into_view_if_needed()
        row.locator("button[value=dismiss]").click()
        page.wait_for_selector(".alert-success")
        assert page.locator("[data-testid=patrol-event]").count() == 1
        assert not wsgi_problems(page), page.problems
        page.context.clear_cookies()
        page.set_viewport_size(DESK)
        sign_in(page, base, "plaintiff")  # a party sees no suspicions, not even their own
        page.goto(f"{base}/rooms-media/patrol/")
        assert page.locator("[data-testid=patrol-event]").count() == 0
        assert page.locator("[data-testid=nav-patrol]").count() == 0
        page.context.clear_cookies()
        sign_in(page, base, "judge")  # the judge's navbar has the most entries: still one line at 1366 (the
        # patrol entry is an icon there, named for screen readers and on hover)
        page.locator("[data-testid=nav-patrol]").click()
        assert page.locator("[data-testid=patrol-event]").count() == 1
        page.screenshot(path=str(ARTIFACTS / "patrol-judge-1366.png"))
        assert page.locator("nav.navbar").bounding_box()["height"] < 64
        assert page.locator("[data-testid=nav-patrol]").get_attribute("aria-label") == "庭审智能巡查"
    loud.refresh_from_db()
    extra.refresh_from_db()
    assert (loud.state, extra.state) == ("confirmed", "dismissed") and loud.notice_sha256
    assert loud.note == "代理人当庭喧哗，经核实属实"

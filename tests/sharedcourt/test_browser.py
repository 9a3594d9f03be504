"""The point's staff on a 390×844 phone: the workbench → the session → check identity (ID number and a photo
from the document camera) → join the room for the party, who then sits in their own seat in the courtroom page.
Screenshots at 1366 and 390×844 of the public list, the staff workbench and the statistics page:
test-artifacts/sharedcourt-*.png."""

from contextlib import contextmanager

import pytest

from tests.sharedcourt.conftest import jpeg
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


def person(b, base, username=None, viewport=PHONE):
    context = b.new_context(locale="zh-CN", viewport=viewport, **({"is_mobile": True, "has_touch": True}
                                                                  if viewport is PHONE else {}))
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    if username:
        page.goto(base + "/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=user-menu]", state="attached")
    return page


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def shot(page, name: str):
    size = "390" if page.viewport_size["width"] < 500 else "1366"
    page.screenshot(path=ARTIFACTS / f"sharedcourt-{name}-{size}.png", full_page=True)
    assert fits(page), (name, size)


def test_staff_checks_identity_and_joins_for_the_party_on_a_phone(approved, other_point, users, live_server,
                                                                  tmp_path):
    base = live_server.url
    photo = tmp_path / "camera.jpg"
    photo.write_bytes(jpeg())
    with browser() as b:
        for viewport in (WIDE, PHONE):
            public = person(b, base, viewport=viewport)
            public.goto(base + "/sharedcourt/points/")
            public.wait_for_selector("[data-testid=point]")
            shot(public, "public-list")
            public.fill("[data-testid=points-q]", "福永")
            public.press("[data-testid=points-q]", "Enter")
            public.wait_for_selector("text=福永街道共享法庭")
            assert public.locator("[data-testid=point]").count() == 1

        wide = person(b, base, "point_staff", viewport=WIDE)
        wide.goto(base + "/sharedcourt/workbench/")
        wide.wait_for_selector("[data-testid=session]")
        shot(wide, "workbench")

        staff = person(b, base, "point_staff")
        staff.goto(base + "/sharedcourt/workbench/")
        shot(staff, "workbench")
        staff.click("[data-testid=session]")
        staff.wait_for_selector("[data-testid=identity-form]")
        assert staff.locator("[data-testid=join]").is_disabled()  # identity first
        staff.fill("[data-testid=id-number]", "360426199101010072")  # one digit off: the checksum fails
        staff.set_input_files("[data-testid=id-photo-input]", str(photo))
        staff.click("[data-testid=check-identity]")
        staff.wait_for_selector(".alert-danger")
        staff.fill("[data-testid=id-number]", in_thread(lambda: users["defendant"].id_number))
        staff.set_input_files("[data-testid=id-photo-input]", str(photo))
        staff.click("[data-testid=check-identity]")
        staff.wait_for_selector("[data-testid=id-checked]")
        assert "*" in staff.inner_text("[data-testid=id-checked]")
        # the photo is served by its own request after the page: wait for it to arrive before measuring it
        for _ in range(100):  # (wait_for_function would evaluate a string, which the page's CSP refuses)
            if staff.locator("[data-testid=id-photo]").evaluate("img => img.complete && img.naturalWidth > 0"):
                break
            staff.wait_for_timeout(100)
        assert staff.locator("[data-testid=id-photo]").evaluate("img => img.naturalWidth") == 800
        shot(staff, "identity-checked")
        staff.click("[data-testid=join]")
        staff.wait_for_selector("[data-testid=emblem]")
        assert f"/rooms/{approved.room_id}/" in staff.url
        assert "被告" in staff.inner_text("body")  # the party's seat, not a seat of the staff's own
        shot(staff, "room")
        assert staff.problems == [] and wide.problems == []
        for viewport in (WIDE, PHONE):  # the session now counts: held, with the travel it saved
            judge = person(b, base, "judge", viewport=viewport)
            judge.goto(base + "/sharedcourt/stats/")
            assert judge.inner_text("[data-testid=total-sessions]") == "1"
            assert judge.inner_text("[data-testid=total-km]") == "19.0 km"
            shot(judge, "stats")

    def recorded():
        from yunting.core.journal.models import JournalEntry

        approved.refresh_from_db()
        joined = JournalEntry.objects.get(case_id=approved.case_id, kind="sharedcourt.assisted_join")
        return approved.id_checked_at is not None, approved.joined_by_id, joined.payload["party_user_id"]

    assert in_thread(recorded) == (True, users["point_staff"].pk, users["defendant"].pk)

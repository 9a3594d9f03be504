"""The scanning pages in a real Chromium, on a phone (390×844) and at 1366 wide: no sideways scrolling, the
navbar on one line, no script errors. Screenshots: test-artifacts/scanning-*.png."""

from __future__ import annotations

import pytest

from tests.asynctrial.test_browser import PHONE, WIDE, browser, no_horizontal_scroll, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scanning_pages_on_phone_and_desktop(live_server, users, make_case, add_document):
    from tests.web.test_browser import ARTIFACTS
    from yunting.core.cases.access import Capability, access_case_for
    from yunting.workflows.scanning.services import original_move, original_register

    case = make_case()
    add_document(case, title="借条", body="今借到张伟人民币十万元，约定一年内归还。", kind="evidence")
    access = access_case_for(users["clerk"], case.pk, need=Capability.WRITE_JOURNAL)
    o = original_register(access=access, actor=users["clerk"], description="借条原件 1 张", location="A-01-1")
    original_move(access=access, actor=users["clerk"], original=o, action="lend", holder=users["judge"], reason="核对")
    pages = {"scanner": ["/scanning/"], "clerk": [f"/scanning/cases/{case.pk}/", "/scanning/review/",
                                                  "/scanning/originals/"],
             "lawyer": ["/scanning/search/?q=归还"]}
    with browser() as b:
        for size_name, viewport in (("phone", PHONE), ("wide", WIDE)):
            for username, paths in pages.items():
                page = person(b, live_server.url, username, viewport=viewport)
                for path in paths:
                    page.goto(live_server.url + path)
                    name = "scanning-" + (path.strip("/").split("?")[0].replace("/", "-").replace(str(case.pk), "case"))
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{size_name}.png"), full_page=True)
                    assert no_horizontal_scroll(page), (path, size_name)
                    if viewport is WIDE:
                        nav = page.locator(".navbar-nav.me-auto")
                        heights = nav.evaluate("n => [...n.children].map(li => li.getBoundingClientRect().top)")
                        assert len(set(round(h) for h in heights)) == 1, (path, "navbar wraps")
                assert page.problems == [], page.problems
                page.context.close()

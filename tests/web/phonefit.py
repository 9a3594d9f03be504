"""The phone check every party-facing page passes (used by the tests/*/test_phone_fit_browser.py modules): opened
at 390×844 (a phone, touch) and at 1366×768, the page does not scroll sideways, no visible element reaches past the
screen's right edge (unless it sits inside a box that scrolls on its own, like a wide table in .table-responsive),
and every button a finger must hit is at least 40 px tall. Screenshots go to $YT_PHONE_SHOTS (default
test-artifacts/) as fit-<name>-390.png and fit-<name>-1366.png."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, PASSWORD

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
DESK = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}
MIN_TAP = 40

# One pass over the laid-out page. An element "overflows" when its right edge is past the screen and no ancestor
# clips or scrolls it inside the screen; a "button" is anything styled or working as one that a finger taps.
MEASURE = """(minTap) => {
  const W = window.innerWidth;
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.dataset && el.dataset.testid) s += '[data-testid=' + el.dataset.testid + ']';
    else if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.');
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 20);
    return text ? s + ' "' + text + '"' : s;
  };
  const contained = (el) => {
    for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== 'visible') return p.getBoundingClientRect().right <= W + 1;
    }
    return false;
  };
  const seen = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= W + 1) continue;
    if (!seen(el) || getComputedStyle(el).position === 'fixed' && r.left >= W) continue;  // an off-screen drawer
    if (contained(el)) continue;
    wide.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  const small = [];
  const buttons = 'button:not(.btn-close):not(.btn-link):not([role=tab]), .btn:not(.btn-link), input[type=submit]';
  for (const el of document.querySelectorAll(buttons)) {
    if (!seen(el) || el.closest('.dropdown-menu, .visually-hidden, .visually-hidden-focusable')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.height < minTap - 0.5) small.push(name(el) + ' ' + Math.round(r.height) + 'px');
  }
  return {scroll: document.scrollingElement.scrollWidth, width: W, wide: wide.slice(0, 12), small: small.slice(0, 12)};
}"""


def shots_dir() -> Path:
    path = Path(os.environ.get("YT_PHONE_SHOTS") or ARTIFACTS)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_as(browser, base: str, who: str | None, size: dict):
    page = browser.new_context(**size).new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    if who:
        page.goto(base + "/login/")
        page.fill("#id_username", who)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=user-menu]", state="attached")  # folded into the menu on a phone
    return page


def measure(page) -> dict:
    return page.evaluate(MEASURE, MIN_TAP)


def problems_of(found: dict) -> list[str]:
    out = []
    if found["scroll"] > found["width"]:
        out.append(f"scrolls sideways: {found['scroll']} px wide on a {found['width']} px screen")
    out += [f"past the right edge: {w}" for w in found["wide"]]
    out += [f"button under {MIN_TAP} px: {s}" for s in found["small"]]
    return out


def check_fits(browser, base: str, *, name: str, url: str, who: str | None, ready: str = "main",
               steps=None, sizes=("390", "1366")) -> dict:
    """Open `url` as `who` on a phone and at 1366, screenshot both, and return the problems per width.
    `steps(page)` runs after loading (open a fold, reach the step under test)."""
    found = {}
    for label, size in (("390", PHONE), ("1366", DESK)):
        if label not in sizes:
            continue
        page = open_as(browser, base, who, size)
        response = page.goto(base + url)
        assert response.status == 200, f"{name}: HTTP {response.status} at {url}"
        page.wait_for_selector(ready, state="attached")
        page.wait_for_load_state("networkidle")
        if steps:
            steps(page)
        page.screenshot(path=str(shots_dir() / f"fit-{name}-{label}.png"), full_page=True)
        problems = problems_of(measure(page))
        if label == "1366":  # desk: only the sideways check (mouse targets may be smaller)
            problems = [p for p in problems if not p.startswith("button under")]
        problems += [f"script error: {e}" for e in page.problems]
        found[label] = problems
        page.context.close()
    return found


def assert_fits(browser, base: str, **kw) -> None:
    found = check_fits(browser, base, **kw)
    assert found == {label: [] for label in kw.get("sizes", ("390", "1366"))}, f"{kw['name']}: {found}"

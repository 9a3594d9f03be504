"""Drawing a signature by hand in a real Chromium: shared by the browser tests of every page with a pad."""

from __future__ import annotations


def draw_signature(page, pad: str = "[data-testid=pad]") -> None:
    """Draw a zigzag across the pad once its script has bound it (it sets data-ready). A stroke drawn before that
    is lost and the submit button stays disabled: a busy CI machine showed exactly that."""
    canvas = page.locator(f"{pad}[data-ready]")
    canvas.wait_for()
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for k in range(1, 12):
        page.mouse.move(box["x"] + 20 + k * (box["width"] - 40) / 11, box["y"] + box["height"] * (0.3 + 0.4 * (k % 2)))
    page.mouse.up()

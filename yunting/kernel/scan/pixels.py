"""Pixel statistics shared by the PDF and image checks: is this picture of a page blank?"""

from __future__ import annotations

from PIL import Image, ImageFilter

# A pixel is ink when it differs from the paper (the median) by more than this, after a 3×3 median filter
# that removes scanner dust and JPEG speckle.
INK_DELTA = 48
# Below this share of ink pixels a page is blank. One short line of 12 pt text on an A4 page is about 0.1 %.
BLANK_INK_SHARE = 0.0002
WORK_SIDE = 1000
MARGIN = 0.04


def ink_share(image: Image.Image) -> float:
    """Share of pixels (0..1) that differ clearly from the paper colour, margins (scanner edges) excluded."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = flat
    gray = image.convert("L")
    if max(gray.size) > WORK_SIDE:
        gray.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)
    w, h = gray.size
    mx, my = int(w * MARGIN), int(h * MARGIN)
    if w - 2 * mx >= 8 and h - 2 * my >= 8:
        gray = gray.crop((mx, my, w - mx, h - my))
    if min(gray.size) >= 3:
        gray = gray.filter(ImageFilter.MedianFilter(3))
    hist = gray.histogram()
    total = sum(hist)
    if not total:
        return 0.0
    half, acc, median = total / 2, 0, 0
    for value, count in enumerate(hist):
        acc += count
        if acc >= half:
            median = value
            break
    ink = sum(hist[: max(0, median - INK_DELTA)]) + sum(hist[median + INK_DELTA + 1 :])
    return ink / total


def looks_blank(image: Image.Image) -> bool:
    return ink_share(image) < BLANK_INK_SHARE

"""Visible signature appearances, drawn with Pillow: a personal signature block, the round court seal, and a
handwritten signature with its caption. Images only: the signed content is the PDF, not the picture."""

from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_FILES = [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
]
SEAL_RED = (210, 20, 20, 235)
INK = (20, 30, 90, 255)


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    files = FONT_FILES if bold else FONT_FILES[1:]
    for path, index in files:
        try:
            return ImageFont.truetype(path, size, index=index)
        except OSError:
            continue
    return ImageFont.load_default(size)


def person_stamp(*, name: str, caption: str) -> Image.Image:
    """Name in large characters over a caption (role, time); transparent background."""
    img = Image.new("RGBA", (600, 240), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    d.rectangle((4, 4, 595, 235), outline=INK, width=4)
    d.text((300, 100), name, font=_font(96), fill=INK, anchor="mm")
    d.text((300, 200), caption, font=_font(30, bold=False), fill=INK, anchor="mm")
    return img


@lru_cache(maxsize=16)
def _seal_png(court_name: str, centre: str) -> bytes:
    size = 600
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    c = size / 2
    d.ellipse((12, 12, size - 12, size - 12), outline=SEAL_RED, width=16)
    # the star
    r_out, r_in = 78, 30
    pts = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((c + r * math.cos(a), c - 10 + r * math.sin(a)))
    d.polygon(pts, fill=SEAL_RED)
    # the court's name along the upper arc, each character rotated to face the centre
    chars = list(court_name)
    span = min(250.0, 22.0 * len(chars))
    font = _font(62)
    radius = size / 2 - 78
    for i, ch in enumerate(chars):
        angle = -span / 2 + span * (i + 0.5) / len(chars)
        glyph = Image.new("RGBA", (90, 90), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((45, 45), ch, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.BICUBIC)
        rad = math.radians(angle - 90)
        x, y = c + radius * math.cos(rad), c + radius * math.sin(rad)
        img.alpha_composite(glyph, (int(x - 45), int(y - 45)))
    d.text((c, c + 130), centre, font=_font(44), fill=SEAL_RED, anchor="mm")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def seal_stamp(*, court_name: str, centre: str = "电子印章") -> Image.Image:
    img = Image.open(io.BytesIO(_seal_png(court_name, centre)))
    return img.resize((360, 360), Image.LANCZOS)


# The largest signature pad is 2480 × 1240. A PNG's header states its size before any pixel is decoded, and a
# 20 KB PNG can state 13,000 × 13,000: decoding it took 4 s and 1.5 GB in the web worker. So the size is checked
# first, in the one place every hand signature is drawn from.
STROKES_MAX_SIDE = 4096
STROKES_MAX_PIXELS = 4096 * 2048


def handwriting_stamp(*, strokes_png: bytes, caption: str) -> Image.Image:
    """The party's strokes (as drawn on the canvas) above a caption naming who signed and when. Raises ValueError
    for strokes larger than any pad draws, before decoding them."""
    strokes = Image.open(io.BytesIO(strokes_png))
    width, height = strokes.size
    if strokes.format != "PNG" or max(width, height) > STROKES_MAX_SIDE or width * height > STROKES_MAX_PIXELS:
        raise ValueError(f"strokes of {width} × {height} {strokes.format}: not a signature pad's drawing")
    strokes = strokes.convert("RGBA")
    strokes.thumbnail((600, 190))
    img = Image.new("RGBA", (600, 240), (255, 255, 255, 0))
    img.alpha_composite(strokes, ((600 - strokes.width) // 2, (190 - strokes.height) // 2))
    ImageDraw.Draw(img).text((300, 215), caption, font=_font(26, bold=False), fill=INK, anchor="mm")
    return img

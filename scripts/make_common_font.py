"""Rebuild yunting/kernel/pdf/fonts/NotoSerifCJKsc-Common.ttf from the system's Noto Serif CJK SC (fonts-noto-cjk):
the GB 2312 characters, ASCII and common CJK punctuation, converted from CFF to TrueType outlines (cu2qu) so that
reportlab can embed a subset of it. Takes a few minutes; run only when the character set should change.

    .venv/bin/python scripts/make_common_font.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
TARGET = Path(__file__).resolve().parent.parent / "yunting" / "kernel" / "pdf" / "fonts" / "NotoSerifCJKsc-Common.ttf"


def characters() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFEF))
    chars |= {0xB7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2116, 0x2103}
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def main() -> None:
    font = TTFont(SOURCE, fontNumber=2)  # 2: SC in the collection
    options = subset.Options()
    options.layout_features, options.name_IDs, options.notdef_outline, options.hinting = ["*"], ["*"], True, False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
    outlines = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        outlines[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, outlines
    for tag in ("CFF ", "VORG", "GSUB", "GPOS", "GDEF", "BASE"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat, font["head"].glyphDataFormat = 0, 0
    font.sfntVersion = "\x00\x01\x00\x00"
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font.save(TARGET)
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes, {len(order)} glyphs)")


if __name__ == "__main__":
    main()

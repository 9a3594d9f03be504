"""Bank cards: the Luhn check (ISO/IEC 7812), the issuer (BIN) of Chinese bank cards, masking.

Pure: no ORM, no Django — table-tested. The BIN table is data, bins.json: the card BIN table of caijf/bankcard
3.1.6 (npm `bankcard`, MIT licence; 1,698 prefixes of 274 banks, rural credit cooperatives and village banks
included, which the parties of a shared court in a village use; its licence is in BINS-LICENSE). Regenerate
it from a newer release with `npm pack bankcard` and `scripts/bank_bins.py`. A court adds local prefixes with
PAYOUT_EXTRA_BINS in settings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_DATA = json.loads((Path(__file__).with_name("bins.json")).read_text(encoding="utf-8"))
RENAMED = {"GDB": "广发银行"}  # the table keeps 广东发展银行, the bank's name before 2011
BANKS: dict[str, str] = {code: RENAMED.get(code, name) for code, name in _DATA["banks"].items()}  # code → name
BINS: dict[str, tuple[str, ...]] = {}  # code → its BIN prefixes
for _bin, _code, _type, _length in _DATA["bins"]:
    BINS[_code] = (*BINS.get(_code, ()), _bin)
_ISSUER = {b: code for code, prefixes in BINS.items() for b in prefixes}  # prefix → code (the table's last wins)
_LENGTHS = sorted({len(b) for b in _ISSUER}, reverse=True)
# The codes these banks had here before the table was adopted (API clients may still send them).
ALIASES = {"BOCOM": "COMM", "PAB": "SPABANK", "CGB": "GDB", "HXB": "HXBANK"}
MAJOR = ("ICBC", "ABC", "BOC", "CCB", "COMM", "PSBC", "CMB", "CITIC", "CEB", "CMBC", "SPDB", "CIB", "SPABANK",
         "HXBANK", "GDB")  # listed first where a person picks the bank
DIGITS = re.compile(r"^\d{16,19}$")


def normalise(number: str) -> str:
    """Digits only: spaces and hyphens people type between groups are dropped."""
    return re.sub(r"[\s\-]", "", number or "")


def luhn_ok(number: str) -> bool:
    """ISO/IEC 7812 check digit (mod 10), as every Chinese UnionPay card carries."""
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def bank_of(number: str, extra: dict[str, tuple[str, ...]] | None = None) -> str:
    """The code of the bank whose BIN prefix the number starts with (longest prefix wins), or ""."""
    best, code = "", ""
    for bank, prefixes in (extra or {}).items():
        for p in prefixes:
            if number.startswith(p) and len(p) > len(best):
                best, code = p, bank
    for n in _LENGTHS:
        if n <= len(best):
            break
        if (found := _ISSUER.get(number[:n])) is not None:
            return found
    return code


def canonical_code(code: str) -> str:
    """The bank code as the table has it (upper case; an old alias mapped)."""
    code = (code or "").strip().upper()
    return ALIASES.get(code, code)


def choices() -> list[tuple[str, str]]:
    """(code, name) for a list a person picks from: the large banks first, then the others by name."""
    rest = sorted((c for c in BANKS if c not in MAJOR), key=lambda c: BANKS[c])
    return [(c, BANKS[c]) for c in (*MAJOR, *rest)]


def mask(number: str) -> str:
    """6222 **** **** 1234: the first four and the last four digits, never more."""
    number = normalise(number)
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]} **** **** {number[-4:]}"


def mask_tail(number: str) -> str:
    """**** **** **** 1234: the last four digits only, for what other people read (the record in the main volume,
    which every party of the case may read)."""
    number = normalise(number)
    return f"**** **** **** {number[-4:]}" if len(number) >= 8 else "*" * len(number)


def with_check_digit(body: str) -> str:
    """`body` + the Luhn check digit (tests and the demo make valid numbers with it)."""
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise ValueError(body)  # pragma: no cover - one digit always fits

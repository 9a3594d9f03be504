"""Case numbers (案号): pure formatting and parsing rules (DOMAIN.md §Case numbers)."""

from __future__ import annotations

import re
from dataclasses import dataclass

CASE_NUMBER_RE = re.compile(
    r"^（(?P<year>\d{4})）(?P<court>最高法|[\u4e00-\u9fff](?:\d{2}|\d{4})?)"
    r"(?P<rest>[\u4e00-\u9fff]{1,5})(?P<seq>[1-9]\d*)号$"
)


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    type_code: str
    sequence: int
    tribunal_code: str = ""

    def __str__(self) -> str:
        return f"（{self.year}）{self.court_code}{self.tribunal_code}{self.type_code}{self.sequence}号"


def format_case_number(*, year: int, court_code: str, type_code: str, sequence: int, tribunal_code: str = "") -> str:
    if sequence < 1:
        raise ValueError("case number sequence starts at 1")
    return str(CaseNumber(year, court_code, type_code, sequence, tribunal_code))


def parse_case_number(text: str, *, known_type_codes: set[str]) -> CaseNumber:
    """Parse a full-width case number. Half-width brackets are accepted and normalised."""
    text = text.strip().replace("(", "（").replace(")", "）")
    m = CASE_NUMBER_RE.match(text)
    if not m:
        raise ValueError(f"not a case number: {text!r}")
    rest = m["rest"]
    for tribunal in ("", rest[:1]):
        type_code = rest[len(tribunal):]
        if type_code in known_type_codes:
            return CaseNumber(int(m["year"]), m["court"], type_code, int(m["seq"]), tribunal)
    raise ValueError(f"unknown type code in {text!r}")

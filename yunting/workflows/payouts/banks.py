"""Bank cards: the Luhn check (ISO/IEC 7812), the issuer (BIN) prefixes of major Chinese banks, masking.

Pure: no ORM, no Django — table-tested. The prefix table is data: common 6-digit BINs of debit cards of the
large state and joint-stock banks (a court adds its local banks' prefixes to EXTRA_BINS in settings).
"""

from __future__ import annotations

import re

BANKS = {  # code → name
    "ICBC": "中国工商银行", "ABC": "中国农业银行", "BOC": "中国银行", "CCB": "中国建设银行", "BOCOM": "交通银行",
    "PSBC": "中国邮政储蓄银行", "CMB": "招商银行", "CITIC": "中信银行", "CEB": "中国光大银行", "CMBC": "中国民生银行",
    "SPDB": "上海浦东发展银行", "CIB": "兴业银行", "PAB": "平安银行", "HXB": "华夏银行", "CGB": "广发银行",
}
BINS = {
    "ICBC": ("622202", "622208", "622200", "621226", "621225", "622230", "622235", "622210", "622215", "955880",
             "620058", "621558", "621559", "621721"),
    "ABC": ("622848", "622845", "622846", "622823", "622821", "622827", "622841", "622849", "622828", "621282",
            "623052", "955995"),
    "BOC": ("621661", "621662", "621663", "621660", "622760", "621785", "621786", "621787", "621788", "456351",
            "601382", "622752", "621756"),
    "CCB": ("621700", "622700", "436742", "622280", "623668", "622707", "621284", "621081", "621467", "621598",
            "622166", "622168"),
    "BOCOM": ("622260", "622262", "622258", "622259", "405512", "601428", "622261"),
    "PSBC": ("622188", "622199", "621096", "621098", "622150", "622151", "955100", "620062", "621799"),
    "CMB": ("622588", "622580", "621286", "621483", "622609", "410062", "439225", "621485", "621486", "622575"),
    "CITIC": ("622690", "622691", "622692", "622696", "622698", "621771", "621767", "621768", "433670", "442729"),
    "CEB": ("622660", "622661", "622662", "622663", "622664", "622665", "622666", "621489", "621490"),
    "CMBC": ("622622", "622615", "622617", "622619", "415599", "421393", "472067", "621691"),
    "SPDB": ("622521", "622522", "622523", "621792", "621793", "621795", "621796", "622516", "622517", "622518",
             "456418", "404738"),
    "CIB": ("622908", "622909", "438588", "438589", "966666", "451290", "523036", "486493", "486494"),
    "PAB": ("622155", "622156", "622157", "622986", "621626", "623058", "602907"),
    "HXB": ("622630", "622631", "622632", "622633", "621222", "623020", "623021"),
    "CGB": ("622568", "622556", "622558", "621462", "625809"),
}
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
    for bank, prefixes in {**BINS, **(extra or {})}.items():
        for p in prefixes:
            if number.startswith(p) and len(p) > len(best):
                best, code = p, bank
    return code


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

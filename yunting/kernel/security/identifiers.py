"""Checksums of Chinese identifiers, written here rather than taken from python-stdnum on purpose.

stdnum.cn.ric also rejects numbers whose area code is missing from its (dated) division table, and
stdnum.cn.uscc insists on digits in positions 1–8; real numbers violate both (DOMAIN.md §Identifiers).
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK = "10X98765432"
RIC_RE = re.compile(r"^\d{17}[\dX]$")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class IdentifierError(ValueError):
    """Carries a stable code so interfaces can translate the message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def ric_check_char(first17: str) -> str:
    return RIC_CHECK[sum(int(d) * w for d, w in zip(first17, RIC_WEIGHTS, strict=True)) % 11]


def ric_normalize(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def ric_validate(value: str) -> str:
    """Validate a resident identity card number (GB 11643); return it normalised or raise IdentifierError."""
    number = ric_normalize(value)
    if not RIC_RE.match(number):
        raise IdentifierError("ric_format", _("An ID number has 18 characters: 17 digits and a final digit or X."))
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentifierError("ric_birth_date", _("The date of birth in the ID number is not a valid date.")) from None
    if ric_check_char(number[:17]) != number[17]:
        raise IdentifierError("ric_checksum", _("The ID number's check character is wrong."))
    return number


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_validate(value: str) -> str:
    """Validate a unified social credit code (GB 32100); return it normalised or raise IdentifierError."""
    code = value.strip().replace(" ", "").upper()
    if len(code) != 18 or not USCC_RE.match(code[:17] + "0"):
        raise IdentifierError("uscc_format", _("A unified social credit code has 18 characters and never the letters I, O, S, V or Z."))
    if code[17] not in USCC_ALPHABET or uscc_check_char(code[:17]) != code[17]:
        raise IdentifierError("uscc_checksum", _("The unified social credit code's check character is wrong."))
    return code

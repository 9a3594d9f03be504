"""Mainland China mobile numbers: pure rules, no ORM."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from yunting.kernel.common.errors import ValidationFailed

MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-()]")


def phone_normalize(value: str | None) -> str:
    """Return the 11-digit mobile number or raise ValidationFailed(code="phone_invalid").

    Spaces, hyphens and a +86 / 0086 prefix are tolerated, since people type numbers that way.
    """
    number = _SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix):]
    if not MOBILE_RE.fullmatch(number):
        raise ValidationFailed(
            _("Enter a mainland China mobile number: 11 digits beginning with 13 to 19."),
            code="phone_invalid", data={"field": "phone"},
        )
    return number

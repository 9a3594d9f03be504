"""Chinese numerals on court papers: amounts in capitals (大写) and dates in Chinese digits. Pure functions.

Amounts follow the accounting rules courts and banks share (会计基础工作规范 art 52):
- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, always "壹拾" (never a bare 拾);
- one 零 for any run of zeros inside the number; none at the end of a section;
- "整" after 元 or 角 when there are no 分; never after 分;
- 角 is zero but 分 is not: "元" is followed by "零" (叁佰贰拾伍元零肆分).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SECTION_UNITS = ["", "万", "亿", "万亿"]
PLACE_UNITS = ["", "拾", "佰", "仟"]
MAX_AMOUNT = Decimal("10") ** 16  # below 一亿亿 (10^16): more than any claim

DATE_DIGITS = "〇一二三四五六七八九"
SMALL = "零一二三四五六七八九"


def _section(n: int) -> str:
    """0 < n < 10000 without leading 零."""
    out: list[str] = []
    zero = False
    for place in range(3, -1, -1):
        d = (n // 10**place) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + PLACE_UNITS[place])
    return "".join(out)


def integer_daxie(n: int) -> str:
    """A non-negative integer in capitals, without 元: 10 → 壹拾, 100010000 → 壹亿零壹万."""
    if n < 0:
        raise ValueError("negative")
    if n == 0:
        return "零"
    sections = []
    while n:
        sections.append(n % 10000)
        n //= 10000
    if len(sections) > len(SECTION_UNITS):
        raise ValueError("too large")
    out: list[str] = []
    pending_zero = False
    for i in range(len(sections) - 1, -1, -1):
        s = sections[i]
        if s == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or s < 1000):
            out.append("零")
        out.append(_section(s) + SECTION_UNITS[i])
        pending_zero = False
    return "".join(out)


def to_decimal(value) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def amount_daxie(value) -> str:
    """An amount of yuan in capitals: 12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分; 100 → 壹佰元整.

    Accepts Decimal, int, str ("1,234.5") or float; rounds half-up to the fen. Negative amounts get 负.
    """
    amount = to_decimal(value)
    if abs(amount) >= MAX_AMOUNT:
        raise ValueError("amount too large")
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, jiao, fen = fen_total // 100, (fen_total // 10) % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    out = sign
    if yuan:
        out += integer_daxie(yuan) + "元"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    else:
        out += "整"
    return out


def money(value) -> str:
    """Figures as printed beside the capitals: 12345.6 → 12,345.60."""
    return f"{to_decimal(value):,.2f}"


def small_number(n: int) -> str:
    """0–99 in ordinary Chinese numerals, for months, days and counts: 10 → 十, 21 → 二十一."""
    if not 0 <= n < 100:
        raise ValueError("0–99 only")
    if n < 10:
        return SMALL[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else SMALL[tens]) + "十" + (SMALL[ones] if ones else "")


def date_cn(value: date | datetime) -> str:
    """The date line of judgments and rulings: 2026-11-01 → 二〇二六年十一月一日."""
    if isinstance(value, datetime):
        value = value.date()
    year = "".join(DATE_DIGITS[int(c)] for c in f"{value.year:04d}")
    return f"{year}年{small_number(value.month)}月{small_number(value.day)}日"


def date_figures(value: date | datetime) -> str:
    """Notices print dates in figures: 2026年11月1日."""
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"

"""Litigation fees under 《诉讼费用交纳办法》 (arts 13–18) and 民诉法解释 art 206: pure rules, table-tested.

`fee_estimate(kind, amount, half, *, range_amounts=None, rounding="0.01")` returns the dict that both the CLI
(`yunting fee KIND [--amount A] [--half]`) and the API (`GET /api/v1/fees/estimate`) print as JSON:

    {"kind", "kind_label", "amount", "half", "currency": "CNY", "fee", "fee_min", "fee_max", "rounding",
     "basis", "steps": [{"op", "text", "from", "to", "base", "rate", "amount"}, ...]}

Money is a decimal string: `fee`, `fee_min`, `fee_max` always with two places; step fields with at least two
(a slice such as 1.00 × 2.5% = 0.025 keeps its exact digits). `fee_min`/`fee_max` are null unless the law gives a
band (离婚, 人格权, 其他非财产, 知识产权 without an amount, 管辖权异议, 执行 without an amount); then `fee` is the
court's configured amount within the band (default: the lower bound).

Arithmetic is exact Decimal; the only inexact step, the payment order's one third, is carried to 50 significant
digits, and a repeating decimal never sits on a rounding boundary, so the single half-up rounding at the end
(step `rounding`, default 0.01 yuan) is still the exact one.

`--half` (arts 15, 16, 18: simple procedure, mediation, withdrawal, counterclaim, joined third-party claim)
halves the case-acceptance fee (案件受理费, art 13 kinds) once and only once (民诉法解释 art 206). Application
fees (申请费, art 14: enforcement, preservation, payment order, public summons, bankruptcy) are refused: the
halving articles speak only of 案件受理费, and bankruptcy is already halved by art 14(6).

Only `fee_estimate_for_court` touches Django, to read YUNTING_FEE_RANGE_AMOUNTS and YUNTING_FEE_ROUNDING.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation, getcontext, localcontext
from functools import lru_cache
from typing import Any

from .errors import FeeConfigurationError, FeeErrorCode, FeeInputError

D = Decimal
ZERO = D(0)
CENT = D("0.01")
FOUR_PLACES = D("0.0001")
TEN_PLACES = D("1e-10")
HALF = D("0.5")
MAX_AMOUNT = D("1000000000000000")  # 1,000 万亿元: far above any claim, small enough to stay exact
PRECISION = 50
ACT = "《诉讼费用交纳办法》"
HALF_BASIS = "第十五条、第十六条、第十八条（减半交纳）；《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二百零六条"

# ---------------------------------------------------------------------------------------------------------------
# Schedules: cumulative brackets


@dataclass(frozen=True)
class Tier:
    lower: Decimal  # exclusive
    upper: Decimal | None  # inclusive; None: no top
    rate: Decimal


@dataclass(frozen=True)
class Schedule:
    """A flat fee for the first `flat_to` yuan, then each slice above at its own rate, added up; optional cap."""

    flat_to: Decimal
    flat_fee: Decimal
    tiers: tuple[Tier, ...]
    cap: Decimal | None = None


def _schedule(flat_to: int, flat_fee: int, *slices: tuple[int | None, str], cap: int | None = None) -> Schedule:
    tiers, lower = [], D(flat_to)
    for upper, rate in slices:
        tiers.append(Tier(lower, None if upper is None else D(upper), D(rate)))
        lower = D(upper) if upper is not None else lower
    return Schedule(D(flat_to), D(flat_fee), tuple(tiers), None if cap is None else D(cap))


# Art 13(1)
PROPERTY = _schedule(
    10_000, 50,
    (100_000, "0.025"), (200_000, "0.02"), (500_000, "0.015"), (1_000_000, "0.01"), (2_000_000, "0.009"),
    (5_000_000, "0.008"), (10_000_000, "0.007"), (20_000_000, "0.006"), (None, "0.005"),
)
# Art 13(2)1 and 13(2)2: on top of the per-case amount
DIVORCE_PROPERTY = _schedule(200_000, 0, (None, "0.005"))
PERSONALITY_DAMAGES = _schedule(50_000, 0, (100_000, "0.01"), (None, "0.005"))
# Art 14(1)2 and 14(2)
ENFORCEMENT = _schedule(10_000, 50, (500_000, "0.015"), (5_000_000, "0.01"), (10_000_000, "0.005"), (None, "0.001"))
PRESERVATION = _schedule(1_000, 30, (100_000, "0.01"), (None, "0.005"), cap=5_000)
BANKRUPTCY_CAP = D(300_000)  # art 14(6)

# ---------------------------------------------------------------------------------------------------------------
# Kinds


@dataclass(frozen=True)
class FeeKind:
    code: str
    label: str
    basis: str
    halvable: bool  # a case-acceptance fee (art 13); application fees (art 14) never halve
    amount: str  # "required" | "optional" | "unused"
    amount_label: str = "金额"
    band: tuple[Decimal, Decimal] | None = None  # the per-case band a court fixes an amount in
    fixed: Decimal | None = None


def _band(lo: int, hi: int) -> tuple[Decimal, Decimal]:
    return D(lo), D(hi)


KINDS: dict[str, FeeKind] = {k.code: k for k in (
    FeeKind("property", "财产案件", f"{ACT}第十三条第（一）项", True, "required", "诉讼请求金额"),
    FeeKind("divorce", "离婚案件", f"{ACT}第十三条第（二）项第1目", True, "optional", "财产总额", _band(50, 300)),
    FeeKind("personality", "人格权案件", f"{ACT}第十三条第（二）项第2目", True, "optional", "损害赔偿金额",
            _band(100, 500)),
    FeeKind("other-nonproperty", "其他非财产案件", f"{ACT}第十三条第（二）项第3目", True, "unused",
            band=_band(50, 100)),
    FeeKind("ip", "知识产权民事案件", f"{ACT}第十三条第（三）项", True, "optional", "争议金额",
            _band(500, 1_000)),
    FeeKind("labor", "劳动争议案件", f"{ACT}第十三条第（四）项", True, "unused", fixed=D(10)),
    FeeKind("admin-special", "商标、专利、海事行政案件", f"{ACT}第十三条第（五）项第1目", True, "unused",
            fixed=D(100)),
    FeeKind("admin", "其他行政案件", f"{ACT}第十三条第（五）项第2目", True, "unused", fixed=D(50)),
    FeeKind("jurisdiction-objection", "管辖权异议不成立", f"{ACT}第十三条第（六）项", True, "unused",
            band=_band(50, 100)),
    FeeKind("enforcement", "申请执行", f"{ACT}第十四条第（一）项", False, "optional", "执行金额",
            _band(50, 500)),
    FeeKind("preservation", "申请保全", f"{ACT}第十四条第（二）项", False, "optional", "保全财产数额"),
    FeeKind("payment-order", "申请支付令", f"{ACT}第十四条第（三）项", False, "required", "请求给付金额"),
    FeeKind("public-summons", "申请公示催告", f"{ACT}第十四条第（四）项", False, "unused", fixed=D(100)),
    FeeKind("bankruptcy", "破产案件", f"{ACT}第十四条第（六）项", False, "required", "破产财产总额"),
)}
FEE_KINDS: tuple[str, ...] = tuple(KINDS)
HALVABLE_KINDS: tuple[str, ...] = tuple(k for k, v in KINDS.items() if v.halvable)
RANGE_KINDS: tuple[str, ...] = tuple(k for k, v in KINDS.items() if v.band)

# ---------------------------------------------------------------------------------------------------------------
# Steps and formatting


def _step(op: str, text: str, from_: Decimal | None = None, to: Decimal | None = None, base: Decimal | None = None,
          rate: Decimal | None = None, amount: Decimal | None = None) -> dict[str, Any]:
    """One line of the explanation, made directly in the shape the result carries it in.

    op: flat | tier | sum | range | fixed | cap | third | half | round | note
    """
    return {"op": op, "text": text, "from": _s(from_), "to": _s(to), "base": _s(base), "rate": _rate_s(rate),
            "amount": _s(amount)}


@dataclass
class _Calc:
    fee: Decimal
    steps: list[dict[str, Any]] = field(default_factory=list)
    fee_min: Decimal | None = None
    fee_max: Decimal | None = None
    basis: str | None = None


def _exponent(d: Decimal) -> int | str:
    """`d.as_tuple().exponent`, read off str(d) instead: as_tuple builds a tuple of every digit, the costliest
    step of a fee. str(d) of a finite number without an "E" has exactly -exponent digits after the point (none
    for exponent 0); "E" (an exponent above 0, or a number below 1e-6) and NaN/Infinity go the long way."""
    text = str(d)
    if "E" in text or not d.is_finite():
        return d.as_tuple().exponent
    dot = text.find(".")
    return 0 if dot < 0 else dot + 1 - len(text)


def _long(d: Decimal) -> bool:
    return _exponent(d) < -10  # type: ignore[operator]


@lru_cache(maxsize=8192)  # a batch's fees share most of their figures (the brackets, the lower tiers)
def _s(d: Decimal | None) -> str | None:
    """Machine form: plain digits, at least two places, exact (a repeating quotient cut at 10 places)."""
    if d is None:
        return None
    text = str(d)
    # Most figures are plain (no "E") with at most ten places: what normalize() and quantize(CENT) below make of
    # them is their places without trailing zeros, at least two, read off the text. Short enough for the
    # context, those two neither round nor fail, so the text is exactly what they would give.
    if "E" not in text and len(text) + 2 <= getcontext().prec and d.is_finite():
        whole, _, places = text.partition(".")
        if len(places) <= 10:
            return f"{whole}.{places.rstrip('0'):0<2}"
    if _long(d):
        d = d.quantize(TEN_PLACES, rounding=ROUND_HALF_UP)
    d = d.normalize()
    # What format(d, "f") gives when str(d) has no "E": exactly -exponent places. A quantized d has exponent -2
    # and is never written with an "E", so str() stands for format(·, "f") there (at a quarter of the cost).
    text = str(d)
    if "E" in text:  # exponent above 0 ("1E+4": a whole number) or below 1e-6 ("1E-7": more than two places)
        return str(d.quantize(CENT)) if "E+" in text else format(d, "f")
    dot = text.find(".")
    if dot < 0 or len(text) - dot <= 3:  # exponent >= -2
        return str(d.quantize(CENT))
    return text


@lru_cache(maxsize=8192)  # a batch's fees share most of their figures (the brackets, the lower tiers)
def _m(d: Decimal) -> str:
    """Human form: thousands separators, at least two places: 90,000.00; 0.025; 766.6666…"""
    suffix = ""
    if _long(d):
        d, suffix = d.quantize(FOUR_PLACES, rounding=ROUND_DOWN), "…"
    plain = _s(d) or ""
    whole, _, frac = plain.partition(".")
    return f"{int(whole):,}.{frac}{suffix}"


@lru_cache(maxsize=8192)  # a batch's fees share most of their figures (the brackets, the lower tiers)
def _bound(d: Decimal) -> str:
    """Bracket bounds are whole yuan: 10,000."""
    return f"{int(d):,}"


@lru_cache(maxsize=8192)  # a batch's fees share most of their figures (the brackets, the lower tiers)
def _pct(rate: Decimal) -> str:
    return f"{format((rate * 100).normalize(), 'f')}%"


@lru_cache(maxsize=8192)  # a batch's fees share most of their figures (the brackets, the lower tiers)
def _rate_s(rate: Decimal | None) -> str | None:
    return None if rate is None else format(rate.normalize(), "f")


# ---------------------------------------------------------------------------------------------------------------
# Input


_PLAIN = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$", re.ASCII)


def parse_amount(value: Any) -> Decimal | None:
    """A yuan amount from the CLI, the query string or code; None or "" means "no amount given"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _invalid(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()  # full-width digits from a Chinese IME: １００，０００
        if not text:
            return None
        if not _PLAIN.match(text):
            raise _invalid(value)
        if text.startswith("-"):
            raise FeeInputError(FeeErrorCode.AMOUNT_NEGATIVE, f"金额不能为负数：{value}", amount=value)
        amount = D(text.replace(",", ""))
    elif isinstance(value, int | Decimal):
        amount = D(value)
    elif isinstance(value, float):
        amount = D(repr(value))
    else:
        raise _invalid(value)
    if not amount.is_finite():
        raise _invalid(value)
    if amount < 0:
        raise FeeInputError(FeeErrorCode.AMOUNT_NEGATIVE, f"金额不能为负数：{value}", amount=str(value))
    if amount > MAX_AMOUNT:
        raise FeeInputError(FeeErrorCode.AMOUNT_TOO_LARGE, f"金额过大：上限为 {_bound(MAX_AMOUNT)} 元",
                            amount=str(value))
    # Two places or fewer are whole cents already (quantizing them is exact and the local context only costs);
    # only more places need the check.
    if _exponent(amount) < -2:  # type: ignore[operator]
        with localcontext() as ctx:
            ctx.prec = PRECISION
            if amount != amount.quantize(CENT):
                raise FeeInputError(FeeErrorCode.AMOUNT_TOO_PRECISE, f"金额最多精确到分（两位小数）：{value}",
                                    amount=str(value))
            # "100.000000000000" is 100.00: spelled with its trailing zeros it would be shown as a cut-off
            # figure ("100.0000…"), and the formatting caches, keyed on equal values, would show that to others
            amount = amount.quantize(CENT)
    return amount + ZERO  # drop a negative zero's sign


def _invalid(value: Any) -> FeeInputError:
    return FeeInputError(FeeErrorCode.AMOUNT_INVALID,
                         f"金额“{value}”不是有效的数字；请填写以元为单位的金额，如 100000 或 100,000.50",
                         amount=str(value))


def kind_get(kind: str) -> FeeKind:
    try:
        return KINDS[kind]
    except (KeyError, TypeError):
        choices = "、".join(f"{k.code}（{k.label}）" for k in KINDS.values())
        label = kind or "（空）"
        raise FeeInputError(FeeErrorCode.UNKNOWN_KIND, f"未知的费用种类“{label}”；可选：{choices}",
                            kind=kind, kinds=list(FEE_KINDS)) from None


def parse_rounding(rounding: Any) -> Decimal:
    """The rounding step: a positive multiple of 0.01 yuan ("0.01", "0.1", "1")."""
    return _rounding(rounding)[0]


# str(setting) and the context's precision (`step % CENT` fails on a step too long for it) → (step, its text).
# Keyed on the text, not the value: "1" and "1.00" are equal but print differently. Only good steps are kept.
_ROUNDINGS: dict[tuple[str, int], tuple[Decimal, str]] = {}


def _rounding(rounding: Any) -> tuple[Decimal, str]:
    text = str(rounding)
    key = (text, getcontext().prec)
    found = _ROUNDINGS.get(key)
    if found is not None:
        return found
    try:
        step = D(text)
    except InvalidOperation:
        raise FeeConfigurationError(f"YUNTING_FEE_ROUNDING 无效：{rounding!r}") from None
    if not step.is_finite() or step <= 0 or step % CENT != 0:
        raise FeeConfigurationError(f"YUNTING_FEE_ROUNDING 必须是 0.01 元的正整数倍：{rounding!r}")
    found = step, format(step, "f")
    if len(_ROUNDINGS) < 64:  # a deployment has one setting; tests a few more
        _ROUNDINGS[key] = found
    return found


def configured_amounts(range_amounts: Mapping[str, Any] | None) -> dict[str, Decimal]:
    """Each range kind's amount: the court's setting, checked against the band, else the lower bound."""
    given = dict(range_amounts or {})
    unknown = sorted(set(given) - set(RANGE_KINDS))
    if unknown:
        raise FeeConfigurationError(
            f"YUNTING_FEE_RANGE_AMOUNTS 含有不是幅度收费的种类：{', '.join(unknown)}；可配置：{', '.join(RANGE_KINDS)}")
    out = {}
    for code in RANGE_KINDS:
        lo, hi = KINDS[code].band  # type: ignore[misc]
        if code not in given:
            out[code] = lo
            continue
        try:
            value = D(str(given[code]))
        except InvalidOperation:
            raise FeeConfigurationError(f"YUNTING_FEE_RANGE_AMOUNTS[{code!r}] 不是数字：{given[code]!r}") from None
        if not value.is_finite() or not lo <= value <= hi:
            raise FeeConfigurationError(
                f"YUNTING_FEE_RANGE_AMOUNTS[{code!r}] = {given[code]!r} 超出法定幅度 {_m(lo)} 至 {_m(hi)} 元")
        out[code] = value
    return out


# configured_amounts of a settings dict, keyed on its items as text: the outcome depends on str(value) alone
# (Decimal(str(value)), checked against the band), and a dict changed in place, or swapped by override_settings,
# has a new key. Only good settings are kept (a bad one raises each time, with its own repr in the message).
_CONFIGURED: dict[tuple[tuple[Any, str], ...], dict[str, Decimal]] = {}
_CONFIGURED_DEFAULT = configured_amounts(None)


def _configured(range_amounts: Mapping[str, Any] | None) -> dict[str, Decimal]:
    """configured_amounts, memoised; the dict returned is shared, so it is only read."""
    if not range_amounts:
        return _CONFIGURED_DEFAULT
    if type(range_amounts) is not dict:  # a Mapping of its own making may answer differently each time
        return configured_amounts(range_amounts)
    try:
        key = tuple((k, str(v)) for k, v in range_amounts.items())
    except Exception:  # a value that cannot even be printed: let configured_amounts say what is wrong
        return configured_amounts(range_amounts)
    found = _CONFIGURED.get(key)
    if found is None:
        found = configured_amounts(range_amounts)
        if len(_CONFIGURED) < 64:
            _CONFIGURED[key] = found
    return found


# ---------------------------------------------------------------------------------------------------------------
# Rules


def _flat_step(schedule: Schedule, first: Decimal, prefix: str) -> dict[str, Any]:
    if schedule.flat_fee:
        text = f"{prefix}不超过 {_bound(schedule.flat_to)} 元部分 {_m(first)}，每件交纳 {_m(schedule.flat_fee)}"
    else:
        text = f"{prefix}不超过 {_bound(schedule.flat_to)} 元部分 {_m(first)}，不另行交纳"
    return _step("flat", text, ZERO, schedule.flat_to, first, None, schedule.flat_fee)


def _tier_step(tier: Tier, base: Decimal, part: Decimal, prefix: str) -> tuple[dict[str, Any], str]:
    """The step of one slice, and its amount as the step shows it (for the sum)."""
    where = (f"超过 {_bound(tier.lower)} 元部分" if tier.upper is None
             else f"{_bound(tier.lower)} 至 {_bound(tier.upper)} 元部分")
    part_m = _m(part)
    return _step("tier", f"{prefix}{where} {_m(base)} × {_pct(tier.rate)} = {part_m}",
                 tier.lower, tier.upper, base, tier.rate, part), part_m


def apply_schedule(amount: Decimal, schedule: Schedule, *, prefix: str = "") -> tuple[Decimal, list[dict[str, Any]]]:
    """The cumulative fee on `amount`, with one step per slice that applies (and the cap, if it bites)."""
    steps = [_flat_step(schedule, min(amount, schedule.flat_to), prefix)]
    total = schedule.flat_fee
    shown = [_m(total)]  # each slice's amount as its step shows it, for the sum
    for tier in schedule.tiers:
        if amount <= tier.lower:
            break
        top = amount if tier.upper is None else min(amount, tier.upper)
        base = top - tier.lower
        part = base * tier.rate
        step, part_m = _tier_step(tier, base, part, prefix)
        steps.append(step)
        shown.append(part_m)
        total += part
    if len(steps) > 1:
        steps.append(_step("sum", f"{prefix}分段累计：{' + '.join(shown)} = {_m(total)}", amount=total))
    if schedule.cap is not None and total > schedule.cap:
        steps.append(_step("cap", f"最多不超过 {_m(schedule.cap)}：{_m(total)} → {_m(schedule.cap)}",
                           base=total, amount=schedule.cap))
        total = schedule.cap
    return total, steps


def _range(kind: FeeKind, configured: Decimal, extra: Decimal = ZERO) -> _Calc:
    lo, hi = kind.band  # type: ignore[misc]
    step = _step("range", f"{kind.label}每件交纳 {_m(lo)} 至 {_m(hi)} 元，本院标准 {_m(configured)}",
                 amount=configured)
    return _Calc(configured + extra, [step], lo + extra, hi + extra)


def _with_extra(kind: FeeKind, amount: Decimal | None, configured: Decimal, schedule: Schedule, what: str) -> _Calc:
    """Divorce and personality rights: the per-case amount plus a cumulative part on property or damages."""
    if amount is None:
        return _range(kind, configured)
    extra, steps = apply_schedule(amount, schedule, prefix=what)
    calc = _range(kind, configured, extra)
    calc.steps += steps
    calc.steps.append(_step("sum", f"合计：{_m(configured)} + {_m(extra)} = {_m(calc.fee)}", amount=calc.fee))
    return calc


def _property(amount: Decimal) -> _Calc:
    fee, steps = apply_schedule(amount, PROPERTY)
    return _Calc(fee, steps)


def _rule_property(kind, amount, configured):
    return _property(amount)


def _rule_divorce(kind, amount, configured):
    return _with_extra(kind, amount, configured, DIVORCE_PROPERTY, "财产分割：")


def _rule_personality(kind, amount, configured):
    return _with_extra(kind, amount, configured, PERSONALITY_DAMAGES, "损害赔偿：")


def _rule_range(kind, amount, configured):
    return _range(kind, configured)


def _rule_fixed(kind, amount, configured):
    return _Calc(kind.fixed, [_step("fixed", f"{kind.label}每件交纳 {_m(kind.fixed)}", amount=kind.fixed)])


def _rule_ip(kind, amount, configured):
    if amount is None:
        calc = _range(kind, configured)
        calc.steps[0]["text"] = f"知识产权民事案件没有争议金额或者价额的，每件交纳 {_m(kind.band[0])} 至 " \
                                f"{_m(kind.band[1])} 元，本院标准 {_m(configured)}"
        return calc
    calc = _property(amount)
    calc.steps.insert(0, _step("note", "有争议金额或者价额，按照财产案件的标准交纳（第十三条第（一）项）"))
    calc.basis = f"{ACT}第十三条第（三）项、第（一）项"
    return calc


def _rule_enforcement(kind, amount, configured):
    note = _step("note", "申请执行费不由申请人预交，执行后交纳（第二十条）")
    if amount is None:
        calc = _range(kind, configured)
        calc.steps[0]["text"] = f"没有执行金额或者价额的，每件交纳 {_m(kind.band[0])} 至 {_m(kind.band[1])} 元，" \
                                f"本院标准 {_m(configured)}"
    else:
        fee, steps = apply_schedule(amount, ENFORCEMENT)
        calc = _Calc(fee, steps)
    calc.steps.append(note)
    return calc


def _rule_preservation(kind, amount, configured):
    if amount is None:
        return _Calc(PRESERVATION.flat_fee, [_step("flat", f"不涉及财产数额，每件交纳 {_m(PRESERVATION.flat_fee)}",
                                                   amount=PRESERVATION.flat_fee)])
    fee, steps = apply_schedule(amount, PRESERVATION)
    return _Calc(fee, steps)


def _rule_payment_order(kind, amount, configured):
    calc = _property(amount)
    third = calc.fee / 3
    calc.steps.append(_step("third", f"比照财产案件受理费标准的 1/3：{_m(calc.fee)} ÷ 3 = {_m(third)}",
                            base=calc.fee, amount=third))
    calc.fee = third
    calc.basis = f"{ACT}第十四条第（三）项、第十三条第（一）项"
    return calc


def _rule_bankruptcy(kind, amount, configured):
    calc = _property(amount)
    half = calc.fee * HALF
    calc.steps.append(_step("half", f"破产案件按照财产案件受理费标准减半交纳：{_m(calc.fee)} × 50% = {_m(half)}",
                            base=calc.fee, rate=HALF, amount=half))
    calc.fee = half
    if half > BANKRUPTCY_CAP:
        calc.steps.append(_step("cap", f"最高不超过 {_m(BANKRUPTCY_CAP)}：{_m(half)} → {_m(BANKRUPTCY_CAP)}",
                                base=half, amount=BANKRUPTCY_CAP))
        calc.fee = BANKRUPTCY_CAP
    calc.steps.append(_step("note", "破产申请费不由申请人预交，清算后交纳（第二十条）"))
    calc.basis = f"{ACT}第十四条第（六）项、第十三条第（一）项"
    return calc


RULES: dict[str, Callable[[FeeKind, Decimal | None, Decimal | None], _Calc]] = {
    "property": _rule_property,
    "divorce": _rule_divorce,
    "personality": _rule_personality,
    "other-nonproperty": _rule_range,
    "ip": _rule_ip,
    "labor": _rule_fixed,
    "admin-special": _rule_fixed,
    "admin": _rule_fixed,
    "jurisdiction-objection": _rule_range,
    "enforcement": _rule_enforcement,
    "preservation": _rule_preservation,
    "payment-order": _rule_payment_order,
    "public-summons": _rule_fixed,
    "bankruptcy": _rule_bankruptcy,
}


def _round(value: Decimal, step: Decimal) -> Decimal:
    return ((value / step).to_integral_value(rounding=ROUND_HALF_UP) * step).quantize(CENT)


def fee_estimate(kind: str, amount: Any = None, half: bool = False, *,
                 range_amounts: Mapping[str, Any] | None = None, rounding: Any = "0.01") -> dict[str, Any]:
    """The fee for one filing of `kind` on `amount` yuan, halved once if `half`; see the module docstring.

    Raises FeeInputError (a ValidationFailed, 400) for bad input and FeeConfigurationError for bad settings.
    """
    spec = kind_get(kind)
    step, step_text = _rounding(rounding)
    configured = _configured(range_amounts)
    value = parse_amount(amount)
    if value is None and spec.amount == "required":
        raise FeeInputError(FeeErrorCode.AMOUNT_REQUIRED,
                            f"{spec.label}按{spec.amount_label}计算，请填写{spec.amount_label}（--amount / amount）",
                            kind=kind)
    if half and not spec.halvable:
        why = "，且已按财产案件受理费标准减半（第十四条第（六）项）" if kind == "bankruptcy" else ""
        raise FeeInputError(
            FeeErrorCode.HALF_NOT_ALLOWED,
            f"{spec.label}交纳的是申请费（第十四条），不适用减半交纳{why}；减半（第十五、十六、十八条）只适用于案件受理费",
            kind=kind, halvable=list(HALVABLE_KINDS))

    with localcontext() as ctx:
        ctx.prec = PRECISION
        calc = RULES[kind](spec, value, configured.get(kind))
        if value is not None and spec.amount == "unused":
            calc.steps.insert(0, _step("note", f"{spec.label}按件交纳，与金额无关；所填金额 {_m(value)} 不影响费用"))
        if half:
            halved = calc.fee * HALF
            band = ""
            if calc.fee_min is not None and calc.fee_max is not None:
                band = f"；幅度 {_m(calc.fee_min)} 至 {_m(calc.fee_max)} 同样减半"
            calc.steps.append(_step(
                "half",
                f"减半交纳案件受理费（简易程序、调解结案、撤诉、反诉或有独立请求权第三人的请求，第十五、十六、十八条；"
                f"只减半一次）：{_m(calc.fee)} × 50% = {_m(halved)}{band}",
                base=calc.fee, rate=HALF, amount=halved))
            calc.fee = halved
            if calc.fee_min is not None and calc.fee_max is not None:
                calc.fee_min, calc.fee_max = calc.fee_min * HALF, calc.fee_max * HALF
        fee = _round(calc.fee, step)
        if fee != calc.fee:
            calc.steps.append(_step("round", f"按 {_m(step)} 元四舍五入：{_m(calc.fee)} → {_m(fee)}",
                                    base=calc.fee, amount=fee))
        fee_min = None if calc.fee_min is None else _round(calc.fee_min, step)
        fee_max = None if calc.fee_max is None else _round(calc.fee_max, step)
        basis = calc.basis or spec.basis
        # str() of a quantized Decimal (exponent -2) is its format(·, "f"), see _s
        return {
            "kind": kind,
            "kind_label": spec.label,
            "amount": None if value is None else str(value.quantize(CENT)),
            "half": bool(half),
            "currency": "CNY",
            "fee": str(fee),
            "fee_min": None if fee_min is None else str(fee_min),
            "fee_max": None if fee_max is None else str(fee_max),
            "rounding": step_text,
            "basis": f"{basis}；{HALF_BASIS}" if half else basis,
            "steps": calc.steps,
        }


def fee_estimate_for_court(kind: str, amount: Any = None, half: bool = False) -> dict[str, Any]:
    """fee_estimate with this deployment's settings: YUNTING_FEE_RANGE_AMOUNTS ({kind: amount}, default the lower
    bounds) and YUNTING_FEE_ROUNDING (default "0.01")."""
    from django.conf import settings

    return fee_estimate(kind, amount, half,
                        range_amounts=getattr(settings, "YUNTING_FEE_RANGE_AMOUNTS", None) or None,
                        rounding=getattr(settings, "YUNTING_FEE_ROUNDING", "0.01"))

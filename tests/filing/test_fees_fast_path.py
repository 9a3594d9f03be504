"""The fee calculator's fast path gives byte for byte what it gave before it was made fast.

tests/filing/fee_golden.json holds ~3,900 inputs (every kind, halved and not, bracket boundaries, odd decimals,
every accepted and refused amount form, rounding steps and range settings, good and bad) with a digest of each
outcome — the whole result dict as JSON, key order included, or the error's type, code, message and data —
written by the calculator as it was before the fast path (fees.py as of commit d605a10), plus a few outcomes in
full for a readable diff. Regenerate only when an output is meant to change:
`.venv/bin/python -m tests.filing.test_fees_fast_path --write`.

One outcome changed on purpose since: an amount written with zeros past the cents ("12345.6700000000") is taken
as that amount in cents, so its steps read as the plain amount's do (they showed cut-off figures before).
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
from decimal import ROUND_HALF_UP, localcontext
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from yunting.workflows.filing import fees
from yunting.workflows.filing.errors import FeeConfigurationError, FeeInputError
from yunting.workflows.filing.fees import KINDS, RANGE_KINDS, fee_estimate, fee_estimate_for_court

GOLDEN = Path(__file__).with_name("fee_golden.json")

# --- encoding: inputs of any type to JSON and back; an outcome to one canonical string ---------------------------

_TYPES = {"int": int, "dec": D, "float": float, "bool": bool, "bytes": lambda s: s.encode()}


def enc(value: Any) -> Any:
    if value is None or type(value) is str:
        return value
    if isinstance(value, dict):
        return {"dict": [[k, enc(v)] for k, v in value.items()]}
    name = {int: "int", D: "dec", float: "float", bool: "bool", bytes: "bytes"}[type(value)]
    return {name: value.decode() if name == "bytes" else value if name == "bool" else repr(value) if name == "float"
            else str(value)}


def dec(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    ((name, raw),) = value.items()
    if name == "dict":
        return {k: dec(v) for k, v in raw}
    return _TYPES[name](raw)


def _plain(obj: Any) -> Any:
    """JSON-ready, failing on anything but the plain types a result is made of (no str subclass, no tuple)."""
    if obj is None or type(obj) in (str, bool):
        return obj
    if type(obj) is list:
        return [_plain(x) for x in obj]
    if type(obj) is dict:
        return {_plain(k): _plain(v) for k, v in obj.items()}
    return f"<{type(obj).__name__}:{obj!s}>"  # shows up in the digest, so a changed type is a changed outcome


def outcome(fn, kind, amount, half, range_amounts, rounding) -> str:
    try:
        got: Any = ["ok", fn(kind, amount, half, range_amounts=range_amounts, rounding=rounding)]
    except FeeInputError as exc:
        got = ["FeeInputError", exc.code, str(exc.message), exc.data, exc.http_status]
    except Exception as exc:  # FeeConfigurationError, and decimal's own errors for absurd settings
        got = [type(exc).__name__, str(exc)]
    return json.dumps(_plain(got), ensure_ascii=False, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


# --- the inputs ----------------------------------------------------------------------------------------------------

BOUNDS = [1_000, 10_000, 50_000, 100_000, 200_000, 500_000, 896_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000,
          20_000_000, 111_640_000, 208_360_000]


def _good_amounts() -> list[Any]:
    out: list[Any] = [None, "", "  "]
    for b in BOUNDS:
        out += [f"{D(b) - D('0.01')}", str(b), f"{D(b) + D('0.01')}", str(b + 1)]
    return out + [
        "0", "0.00", "0.01", "0.02", "1", "3", "7.77", "10001", "200001", "20000001", "100000000", "1000000000000",
        "999999999999.99", "1000000000000000", "100,000.50", " 100000 ", "+5", "１００，０００．５", "1,000,000", "0100",
        "100.10", "100.1", "12345.6700000000", "5.000000000", "-0", "+0",
        "100000.00", "10000.0", "20000000.000", "500000.0000000000", "200000.00", "896000.00",  # a bound, written long
        100_000, 0, D("1E+5"), D("100000.5"), D("-0"), D("0.00"), D("12345.6700000000"), 2.5, 0.1,
    ]


BAD_AMOUNTS: list[Any] = [
    "1000000000000000.01", "10000000000000000", "1,00", "1e5", "abc", "NaN", "Infinity", "-1", "-0.01", "100.001",
    "١٠٠", "٣", -5, 10 ** 16, D("-5"), D("NaN"), D("Infinity"), D("0.001"), 0.1 + 0.2, 1e20, float("nan"),
    float("inf"), True, False, b"1",
]
ROUNDINGS: list[Any] = ["0.01", "0.1", "1", "0.05", "0.10", "5", "100", D("0.5"), 1, D("1.00"),
                        "0.001", "0", "-1", "abc", "NaN", "Infinity", None, "1E+30"]
RANGES: list[Any] = [
    None, {}, {"divorce": "300"}, {"divorce": 201, "personality": "100.5", "ip": D("999.99")},
    {"divorce": "200", "personality": 300, "other-nonproperty": "80", "ip": "800", "jurisdiction-objection": "100",
     "enforcement": "250"},
    {"divorce": "50.000000000001"}, {"enforcement": "500.00"},
    {"divorce": "301"}, {"divorce": "49.99"}, {"divorce": "abc"}, {"labor": "10"}, {"divorse": "1", "zz": 2},
    {"ip": "NaN"}, {"enforcement": "Infinity"},
]
ODD_KINDS: list[Any] = [None, "", "Property", "nonsense", 123]


def build_cases() -> list[list[Any]]:
    """[kind, amount, half, range_amounts, rounding] in the stored (encoded) form."""
    rng = random.Random(20240601)
    cases: list[list[Any]] = []

    def add(kind, amount, half, ranges=None, rounding="0.01"):
        cases.append([enc(kind), enc(amount), half, enc(ranges), enc(rounding)])

    for kind in KINDS:
        for half in (False, True):
            for amount in _good_amounts():
                add(kind, amount, half)
        for i, amount in enumerate(BAD_AMOUNTS):  # refused before `half` is looked at
            add(kind, amount, i % 2 == 1)
    for _ in range(150):  # log-uniform from 0.01 to 10^12, in cents
        cents = int(10 ** rng.uniform(0, 14))
        amount = f"{cents // 100}.{cents % 100:02d}"
        for kind in rng.sample(list(KINDS), 2):
            add(kind, amount, rng.random() < 0.5)
    for kind in RANGE_KINDS:
        for ranges in RANGES:
            for half in (False, True):
                for amount in (None, "500000.01"):
                    add(kind, amount, half, ranges)
    for rounding in ROUNDINGS:
        for kind in ("property", "payment-order", "bankruptcy", "divorce", "labor"):
            for amount in ("10001", "100000", "333333.33"):
                add(kind, amount, kind in ("property", "divorce") and amount == "10001", rounding=rounding)
    for kind in ODD_KINDS:  # errors in the order they are checked: kind, rounding, ranges, amount, half
        add(kind, "1", False)
        add(kind, "abc", True, {"labor": "10"}, "0")
    add("property", "abc", False, {"labor": "10"}, "0")
    add("property", "abc", False, {"labor": "10"})
    add("property", None, True, {"divorce": "300"})
    add("bankruptcy", None, True)
    add("enforcement", "-1", True)
    return cases


def write_golden(fn=fee_estimate) -> None:
    cases = build_cases()
    rows = [case + [digest(outcome(fn, *map(dec, case[:2]), case[2], *map(dec, case[3:])))] for case in cases]
    shown = [i for i, c in enumerate(cases)
             if c[1] in (None, "100000") and not c[2] and c[3] is None and c[4] == "0.01" and c[0] in KINDS]
    full = {str(i): json.loads(outcome(fn, dec(cases[i][0]), dec(cases[i][1]), cases[i][2], None, "0.01"))
            for i in shown}
    GOLDEN.write_text(json.dumps({"cases": rows, "full": full}, ensure_ascii=False, separators=(",", ":")) + "\n",
                      encoding="utf-8")


# --- the tests -----------------------------------------------------------------------------------------------------

@functools.cache
def _golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def _groups() -> list[str]:  # one test per kind (and per odd kind), so a failure says where
    return sorted({str(case[0]) for case in build_cases()})


def test_the_golden_inputs_are_the_ones_built_here():
    assert [row[:5] for row in _golden()["cases"]] == build_cases()


@pytest.mark.parametrize("group", _groups())
def test_every_outcome_is_byte_for_byte_the_one_before(group):
    golden = _golden()
    wrong = []
    for i, row in enumerate(golden["cases"]):
        if str(row[0]) != group:
            continue
        text = outcome(fee_estimate, dec(row[0]), dec(row[1]), row[2], dec(row[3]), dec(row[4]))
        if digest(text) != row[5]:
            wrong.append((i, row[:5], text))
        if str(i) in golden["full"]:
            assert json.loads(text) == golden["full"][str(i)]
    assert not wrong, f"{len(wrong)} outcomes changed, the first: {wrong[0]}"


def test_the_cached_settings_follow_changed_settings():
    """The memoised range amounts and rounding step are keyed on content: a dict changed in place, or a setting
    overridden at run time, is read afresh."""
    ranges = {"divorce": "100"}
    assert fee_estimate("divorce", None, False, range_amounts=ranges)["fee"] == "100.00"
    ranges["divorce"] = "200"
    assert fee_estimate("divorce", None, False, range_amounts=ranges)["fee"] == "200.00"
    ranges["divorce"] = "301"
    with pytest.raises(FeeConfigurationError):
        fee_estimate("divorce", None, False, range_amounts=ranges)
    assert fee_estimate("divorce", None, False, range_amounts={"divorce": 300.0})["steps"][0]["amount"] == "300.00"
    with pytest.raises(FeeConfigurationError, match="= 301.0 超出"):  # the message shows the value as given
        fee_estimate("divorce", None, False, range_amounts={"divorce": 301.0})
    with pytest.raises(FeeConfigurationError, match="= 301 超出"):
        fee_estimate("divorce", None, False, range_amounts={"divorce": 301})

    assert fee_estimate_for_court("payment-order", "100000")["fee"] == "766.67"
    with override_settings(YUNTING_FEE_ROUNDING="1", YUNTING_FEE_RANGE_AMOUNTS={"divorce": "250"}):
        assert fee_estimate_for_court("payment-order", "100000")["fee"] == "767.00"
        assert fee_estimate_for_court("divorce")["fee"] == "250.00"
    with override_settings(YUNTING_FEE_ROUNDING=D("1.00")):
        assert fee_estimate_for_court("payment-order", "100000")["rounding"] == "1.00"
    with override_settings(YUNTING_FEE_ROUNDING=1):
        assert fee_estimate_for_court("payment-order", "100000")["rounding"] == "1"
    assert fee_estimate_for_court("payment-order", "100000")["fee"] == "766.67"
    assert fee_estimate_for_court("divorce")["fee"] == "50.00"


def _random_decimals(n: int) -> list[D]:
    rng = random.Random(5)
    out = [D(x) for x in ("0", "-0", "0.000", "1E+4", "100", "1.50", "0.025", "0.000001", "0.0000010", "1E-7",
                          "1234.5600000000", "1234.56000000000", "-1.50", "1E+15", "12.3E-9")]
    for _ in range(n):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, rng.choice([6, 20, 40, 55]))))
        out.append(D(f"{rng.choice(['', '-'])}{digits}{'0' * rng.randint(0, 4)}E{rng.randint(-16, 8)}"))
    return out


def test_the_exponent_read_off_the_text_is_as_tuples():
    for d in _random_decimals(3000) + [D("NaN"), D("-Infinity"), D("sNaN")]:
        assert fees._exponent(d) == d.as_tuple().exponent, d


@pytest.mark.parametrize("prec", [50, 28, 12])
def test_the_machine_form_read_off_the_text_is_the_decimal_one(prec):
    """_s's reading of the text against its arithmetic (normalize, quantize), at several precisions."""

    def reference(d):
        if d.as_tuple().exponent < -10:
            d = d.quantize(D("1e-10"), rounding=ROUND_HALF_UP)
        d = d.normalize()
        return format(d.quantize(D("0.01")) if d.as_tuple().exponent >= -2 else d, "f")

    with localcontext() as ctx:
        ctx.prec = prec
        for d in _random_decimals(3000):
            try:
                expected = reference(d)
            except ArithmeticError as exc:
                expected = type(exc)
            try:
                got = fees._s.__wrapped__(d)
            except ArithmeticError as exc:
                got = type(exc)
            assert got == expected, d


if __name__ == "__main__":
    import os
    import sys
    import tempfile

    import django

    if "--write" not in sys.argv:
        sys.exit("usage: python -m tests.filing.test_fees_fast_path --write  (rewrites fee_golden.json)")
    os.environ["YUNTING_DATA_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    write_golden()


def test_trailing_zeros_beyond_the_cents_are_the_same_amount_and_leave_nothing_behind():
    """An amount written with trailing zeros past the cents is that amount in cents: the same fee and steps.
    Before, its slices were spelled as cut-off figures ("336.4177…"), and the formatting caches, keyed on equal
    values, then showed the next filer of 23,456.71 yuan that same cut-off text."""
    zeros = fee_estimate("property", "23456.7100000000")
    plain = fee_estimate("property", "23456.71")
    assert zeros == plain
    assert "336.41775" in " ".join(s["text"] for s in plain["steps"])
    assert "…" not in " ".join(s["text"] for s in plain["steps"])

from datetime import date
from decimal import Decimal

import pytest

from yunting.kernel.documents.numerals import (
    amount_daxie,
    date_cn,
    date_figures,
    integer_daxie,
    money,
    small_number,
)


@pytest.mark.parametrize(
    "amount, expected",
    [
        (0, "零元整"),
        ("0.00", "零元整"),
        (1, "壹元整"),
        (10, "壹拾元整"),
        (11, "壹拾壹元整"),
        (20, "贰拾元整"),
        (100, "壹佰元整"),
        (101, "壹佰零壹元整"),
        (110, "壹佰壹拾元整"),
        (1001, "壹仟零壹元整"),
        (1010, "壹仟零壹拾元整"),
        (10000, "壹万元整"),
        (10001, "壹万零壹元整"),
        (10100, "壹万零壹佰元整"),
        (100000, "壹拾万元整"),
        (105000, "壹拾万伍仟元整"),
        (100500, "壹拾万零伍佰元整"),
        (1000000, "壹佰万元整"),
        (10000001, "壹仟万零壹元整"),
        (100000000, "壹亿元整"),
        (100010000, "壹亿零壹万元整"),
        (100001000, "壹亿零壹仟元整"),
        (100000001, "壹亿零壹元整"),
        (123456789, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"),
        (1000000000000, "壹万亿元整"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        ("100.50", "壹佰元伍角整"),
        ("1,150.00", "壹仟壹佰伍拾元整"),
        (Decimal("2300"), "贰仟叁佰元整"),
        (Decimal("13800.00"), "壹万叁仟捌佰元整"),
        ("0.005", "壹分"),  # half-up to the fen
        (-50, "负伍拾元整"),
        (1150.5, "壹仟壹佰伍拾元伍角整"),
    ],
)
def test_amount_daxie(amount, expected):
    assert amount_daxie(amount) == expected


@pytest.mark.parametrize("bad", ["abc", "", "NaN", "1e17", float("inf")])
def test_amount_daxie_refuses_non_amounts(bad):
    with pytest.raises(ValueError):
        amount_daxie(bad)


def test_integer_daxie_zero_and_negative():
    assert integer_daxie(0) == "零"
    with pytest.raises(ValueError):
        integer_daxie(-1)


@pytest.mark.parametrize("n, expected", [(0, "零"), (7, "七"), (10, "十"), (11, "十一"), (20, "二十"), (31, "三十一")])
def test_small_number(n, expected):
    assert small_number(n) == expected


@pytest.mark.parametrize(
    "d, cn, fig",
    [
        (date(2026, 11, 1), "二〇二六年十一月一日", "2026年11月1日"),
        (date(2030, 10, 20), "二〇三〇年十月二十日", "2030年10月20日"),
        (date(2026, 1, 31), "二〇二六年一月三十一日", "2026年1月31日"),
    ],
)
def test_dates(d, cn, fig):
    assert date_cn(d) == cn
    assert date_figures(d) == fig


def test_money():
    assert money("12345.6") == "12,345.60"
    assert money(0) == "0.00"

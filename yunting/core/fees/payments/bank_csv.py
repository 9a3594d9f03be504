"""Reading a bank statement exported as CSV: one payment per line, with at least reference, amount and date.

Accepted: UTF-8 (with or without BOM) or GB18030/GBK (what Chinese online banking exports); a header row naming
the columns in English or Chinese (reference/附言/摘要/缴费识别码, amount/金额/交易金额, date/日期/交易日期,
optionally transaction/流水号 and payer/付款人), or no header and the three columns in that order. Amounts may
carry ¥, commas or spaces; dates YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD. A line that cannot be read is reported on
its own; the others go on. Pure: no ORM.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

COLUMNS = {
    "reference": ("reference", "ref", "附言", "摘要", "备注", "用途", "缴费识别码", "识别码"),
    "amount": ("amount", "金额", "交易金额", "收入金额", "贷方金额"),
    "date": ("date", "日期", "交易日期", "记账日期", "value_date"),
    "transaction": ("transaction", "transaction_id", "txn", "流水号", "交易流水号", "银行流水号"),
    "payer": ("payer", "付款人", "付款人名称", "对方户名", "对方名称"),
}
DATE_RE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")
MAX_LINES = 100_000


@dataclass(frozen=True)
class StatementLine:
    line: int
    reference: str
    amount: Decimal
    paid_on: date
    transaction: str = ""
    payer: str = ""


@dataclass(frozen=True)
class BadLine:
    line: int
    message: str
    raw: str


class StatementUnreadable(ValueError):
    pass


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementUnreadable("encoding")


def parse_amount(text: str) -> Decimal | None:
    cleaned = re.sub(r"[¥￥,，\s]|CNY|元", "", text or "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")) or value >= 10**13:
        return None
    return value.quantize(Decimal("0.01"))


def parse_date(text: str) -> date | None:
    m = DATE_RE.match((text or "").strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _header_map(row: list[str]) -> dict[str, int] | None:
    names = [c.strip().lower() for c in row]
    found = {}
    for key, aliases in COLUMNS.items():
        for i, name in enumerate(names):
            if name in aliases:
                found[key] = i
                break
    return found if {"reference", "amount", "date"} <= found.keys() else None


def parse_statement(data: bytes) -> list[StatementLine | BadLine]:
    """Each non-empty line after the header as a StatementLine or a BadLine (its message translated)."""
    text = decode(data)
    rows = list(csv.reader(io.StringIO(text)))
    rows = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not rows:
        return []
    header = _header_map(rows[0][1])
    if header is not None:
        rows = rows[1:]
    else:
        header = {"reference": 0, "amount": 1, "date": 2}
    out: list[StatementLine | BadLine] = []
    for n, row in rows[:MAX_LINES]:
        raw = ",".join(row)[:300]

        def cell(key, row=row):
            i = header.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        reference, amount, paid_on = cell("reference"), parse_amount(cell("amount")), parse_date(cell("date"))
        if not reference:
            out.append(BadLine(n, _("No payment reference on this line."), raw))
        elif amount is None:
            out.append(BadLine(n, _("Amount not readable: %(value)s (a number above 0 with at most two decimals).")
                               % {"value": cell("amount") or "—"}, raw))
        elif paid_on is None:
            out.append(BadLine(n, _("Date not readable: %(value)s (use YYYY-MM-DD).") % {"value": cell("date") or "—"}, raw))
        else:
            out.append(StatementLine(n, reference[:120], amount, paid_on, cell("transaction")[:120],
                                     cell("payer")[:200]))
    return out

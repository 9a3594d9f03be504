"""Typed template variables: what a template needs, how a value is parsed from a form or JSON, and stored.

A template declares its variables; `variables_clean` turns raw input (form strings, JSON) into typed values
and refuses bad input with one clear message per field, so nothing half-filled is rendered.
Stored form (`variables_dump`) is JSON-safe: dates ISO, amounts as decimal strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from yunting.kernel.common.errors import ValidationFailed

from .numerals import to_decimal


class VarType(StrEnum):
    TEXT = "text"  # one line
    PROSE = "prose"  # free text the judge writes (paragraphs); rendered as <p> per line
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money"  # Decimal yuan, printed with 大写 where the template asks
    INT = "int"
    LIST = "list"  # list of dicts (parties, panel members, served documents)


@dataclass(frozen=True)
class Var:
    name: str
    type: VarType
    label: str
    required: bool = True
    editable: bool = False  # shown in the drafting form (free-text parts the judge fills in)
    help: str = ""


def _parse(var: Var, raw: Any) -> Any:
    t = var.type
    if t in (VarType.TEXT, VarType.PROSE):
        text = str(raw).replace("\r\n", "\n").strip()
        return text if t == VarType.PROSE else " ".join(text.split())
    if t == VarType.DATE:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        return date.fromisoformat(str(raw).strip())
    if t == VarType.DATETIME:
        if isinstance(raw, datetime):
            return raw
        return datetime.fromisoformat(str(raw).strip())
    if t == VarType.MONEY:
        return to_decimal(raw)
    if t == VarType.INT:
        return int(str(raw).strip())
    if t == VarType.LIST:
        if not isinstance(raw, list | tuple) or not all(isinstance(x, dict) for x in raw):
            raise ValueError("expected a list of records")
        return [dict(x) for x in raw]
    raise ValueError(f"unknown type {t}")


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list | tuple) and not raw)


def variables_clean(spec: tuple[Var, ...], data: dict[str, Any]) -> dict[str, Any]:
    """Typed values for every declared variable; raises ValidationFailed naming each bad or missing field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for var in spec:
        raw = data.get(var.name)
        if _empty(raw):
            if var.required:
                errors[var.name] = f"请填写“{var.label}”"
            out[var.name] = [] if var.type == VarType.LIST else None
            continue
        try:
            out[var.name] = _parse(var, raw)
        except (ValueError, TypeError):
            errors[var.name] = f"“{var.label}”格式不正确"
    if errors:
        raise ValidationFailed("文书内容不完整或有误：" + "；".join(errors.values()), code="template_variables",
                               data={"fields": errors})
    return out


def _dump(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def variables_dump(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe form of cleaned values; `variables_clean` reads it back."""
    return {k: _dump(v) for k, v in values.items()}

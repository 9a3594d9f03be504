"""Canonical JSON: the exact bytes that are hashed, so anyone can recompute a hash from the same data.

Keys sorted, no insignificant whitespace, UTF-8 without escaping (RFC 8785-style for the value types we use:
strings, integers, booleans, null, lists, objects). Floats are refused: amounts travel as decimal strings.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

_PLAIN = (str, int, bool, type(None))


def _check(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {str(k): _check(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_check(v) for v in value]
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical JSON; use a decimal string")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _check(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_check(v) for v in value]
    return value


def canonical_json(value: Any) -> bytes:
    return json.dumps(_check(value), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

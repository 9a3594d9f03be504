"""Canonical JSON: the exact bytes that are hashed, so anyone can recompute a hash from the same data.

Keys sorted, no insignificant whitespace, UTF-8 without escaping (RFC 8785-style for the value types we use:
strings, integers, booleans, null, lists, objects). Floats are refused: amounts travel as decimal strings.
"""

from __future__ import annotations

import json
from decimal import Decimal
from json.encoder import c_make_encoder, encode_basestring
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


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False)
# The C encoder built once: json.dumps builds an encoder object for every call, a fifth of the cost for the small
# bodies the journal hashes twice an entry. (_check has already turned the value into plain JSON types.)
_ONE_SHOT = (c_make_encoder(None, _ENCODER.default, encode_basestring, None, ":", ",", True, False, True)
             if c_make_encoder is not None else None)


def canonical_json(value: Any) -> bytes:
    checked = _check(value)
    if _ONE_SHOT is None:
        return _ENCODER.encode(checked).encode("utf-8")
    return "".join(_ONE_SHOT(checked, 0)).encode("utf-8")

"""Parsing what a request brings (query values, JSON bodies, cookies) so that bad input is a
400 with a reason, never a 500 from deep inside a query.

Page modules declare their query parameters with these bounds (`Year`, `RowId`, `MAX_INT`)
and read JSON bodies with `strict_json`. Everything here only refuses: a value that passes
is given to the page unchanged.
"""
from __future__ import annotations

import json
import math
from typing import Any

# The largest integer both databases store (SQLite INTEGER, PostgreSQL bigint): a larger
# id or offset cannot name a row, and binding it raises OverflowError in the driver.
MAX_INT = 2**63 - 1
# Years a date column can hold (datetime.date); year 9999's end is the last day Python knows.
MIN_YEAR, MAX_YEAR = 1, 9999
# A JSON body nested deeper than this is no review (and deep nesting costs recursion).
MAX_JSON_DEPTH = 20


class BadInput(ValueError):
    """A request value that cannot be used; its message says why (shown with a 400)."""


def _reject_constant(name: str) -> Any:
    raise BadInput(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as infinity
        raise BadInput(f"the number {text[:20]} is too large")
    return value


def strict_json(raw: bytes) -> Any:
    """`raw` parsed as JSON (RFC 8259, UTF-8), refusing what the standard library lets
    through: NaN and Infinity, numbers that overflow to infinity, lone surrogates
    ("\\ud800", which no database can store), NUL characters and deep nesting."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("the body is not UTF-8") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except BadInput:
        raise
    except (ValueError, RecursionError):
        raise BadInput("the body is not valid JSON") from None
    check_value(value)
    return value


def check_value(value: Any, depth: int = 0) -> None:
    """BadInput when `value` (parsed JSON) holds text no database stores, an integer no
    database column holds, or nesting deeper than MAX_JSON_DEPTH."""
    if depth > MAX_JSON_DEPTH:
        raise BadInput("the body is nested too deeply")
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        return
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            raise BadInput("a number in the body is too large")
    elif isinstance(value, list):
        for item in value:
            check_value(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key)
            check_value(item, depth + 1)


def check_text(text: str, what: str = "a value") -> str:
    """`text`, or BadInput when it holds a NUL or a lone surrogate (PostgreSQL refuses NUL,
    and a surrogate cannot be encoded as UTF-8 for any database)."""
    if "\x00" in text:
        raise BadInput(f"{what} holds a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"{what} holds a lone surrogate, which is not text") from None
    return text

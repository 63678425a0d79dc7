"""Ids in URLs, forms and JSON: the range a row id can have, and the URL converter that enforces it.

Ids are INTEGER columns: PostgreSQL refuses a number above 2**31 - 1 outright (an error, so a 500) and SQLite
above 2**63 - 1. Anything outside 1..MAX_ID cannot name a row, so it is answered "not found" before it
reaches the database.
"""
from collections.abc import Callable

from flask import abort
from werkzeug.routing import IntegerConverter

from lms.extensions import db

MAX_ID = 2**31 - 1


def is_id(value) -> bool:
    """True for an int that can be a row id (bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def get_or_404(model, object_id: int, allowed: Callable[[object], bool] = lambda row: True):
    """The `model` row with this id if `allowed(row)`; else a 404, so that a row the caller may not see looks
    like one that does not exist. An id no row can have is a 404 before it reaches the database."""
    row = db.session.get(model, object_id) if is_id(object_id) else None
    if row is None or not allowed(row):
        abort(404)
    return row


def parse_id(text: str | None) -> int | None:
    """The id written in `text` (digits only), or None if it is not one or is out of range."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if is_id(value) else None


def _up_to(limit: str) -> str:
    """A regex for the decimal numbers 0..`limit` without leading zeros (so that a route simply does not match
    a larger one: Werkzeug would answer 405, not 404, for a converter that refuses a match of another method)."""
    parts = ["0", f"[1-9]\\d{{0,{len(limit) - 2}}}"]
    for i, digit in enumerate(limit):
        rest = len(limit) - i - 1
        low = "1" if i == 0 else "0"
        if digit > low:
            top = chr(ord(digit) - 1)
            span = top if top == low else f"[{low}-{top}]"
            parts.append(limit[:i] + span + (f"\\d{{{rest}}}" if rest else ""))
    parts.append(limit)
    return "(?:" + "|".join(parts) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>` for the whole app: a number no row can have does not match the route, so it is a 404."""

    regex = _up_to(str(MAX_ID))

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app):
    """Install the converter; call before any blueprint is registered (rules compile their converters)."""
    app.url_map.converters["int"] = IdConverter


# Page numbers in query strings: any larger one is past the end of every list, and would overflow OFFSET.
MAX_PAGE = 1_000_000


def page_number(text: str | None) -> int | None:
    """The page `text` asks for (1 when absent or not a positive number), or None when it is past MAX_PAGE."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text) > 7 or int(text) > MAX_PAGE:
        return None
    return max(1, int(text))


def bounded_page(name: str = "page") -> int:
    """`?page=` of the current request for a page of HTML: clamped into 1..MAX_PAGE."""
    from flask import request

    page = page_number(request.args.get(name))
    return MAX_PAGE if page is None else page

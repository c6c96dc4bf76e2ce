"""Keyset (cursor) pagination: the next page starts after the last row seen, so page 1,000 costs what page 1 does."""

import base64
import binascii
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet


class BadCursor(ValueError):
    """The cursor was not one this API handed out (edited, truncated or from another list)."""


def encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, length: int) -> list:
    """The `length` sort values a cursor holds; raises BadCursor for anything else."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise BadCursor("This cursor is not one the API gave; start again without it.") from error
    if not isinstance(values, list) or len(values) != length or not all(isinstance(v, str | int) for v in values):
        raise BadCursor("This cursor is not one the API gave; start again without it.")
    if not isinstance(values[-1], int):
        raise BadCursor("This cursor is not one the API gave; start again without it.")
    return values


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


def after(fields: tuple[str, ...], values: list) -> Q:
    """Rows after `values` in the ascending order of `fields` (the last field unique): a lexicographic keyset."""
    condition = Q()
    for i in range(len(fields) - 1, -1, -1):
        step = Q(**{f"{fields[i]}__gt": values[i]})
        condition = step if i == len(fields) - 1 else step | (Q(**{fields[i]: values[i]}) & condition)
    return condition


def keyset_page(queryset: QuerySet, *, fields: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """Up to `limit` rows of `queryset` ordered by `fields` (ascending, the last one unique, e.g. ("name", "pk"))
    after `cursor`, and the cursor of the page after it (None on the last page). Raises BadCursor."""
    ordered = queryset.order_by(*fields)
    if cursor:
        ordered = ordered.filter(after(fields, decode(cursor, len(fields))))
    rows = list(ordered[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    last = rows[-1]
    return Page(rows, encode([getattr(last, field.replace("__", "_")) for field in fields]))

"""Whole numbers typed into forms, query strings and addresses (ids, page numbers)."""

from __future__ import annotations

from typing import Optional

MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL; SQLite overflows on larger Python ints


def whole_number(value: Optional[str]) -> Optional[int]:
    """`value` as a number from 0 to MAX_ID, else None. Only ASCII digits count: str.isdigit()
    also accepts '²' (which int() refuses) and other scripts' digits."""
    if not value or len(value) > 10 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ID else None

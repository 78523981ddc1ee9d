"""Numbers read from addresses and forms: the one strict parse.

`int()` is too kind and too fragile for input from outside: it takes " 12 ", "1_000" and "٣"
(an Arabic-Indic three), `"²".isdigit()` is true yet `int("²")` raises, and a string of more
than 4,300 digits raises too (Python's guard against slow conversions). Every id, page number
and count the site reads from a request goes through `whole_number`, which takes ASCII digits
alone, at most 19 of them, and never raises.
"""

from __future__ import annotations

import re

LARGEST_ID = 2**63 - 1  # the largest value of a database id column (a signed 64-bit integer)
_DIGITS = re.compile(r"[0-9]{1,19}")  # [0-9], not \d: \d matches every script's digits


def whole_number(value: str | None, *, largest: int = LARGEST_ID) -> int | None:
    """`value` as a number if it is written in ASCII digits alone and is at most `largest`."""
    if value is None or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= largest else None


def positive_id(value: str | None) -> int | None:
    """An id: a whole number from 1 to LARGEST_ID, or None."""
    number = whole_number(value)
    return number if number else None

"""`lib.numbers.whole_number`: ASCII digits only, never raising, whatever comes in."""

from __future__ import annotations

import pytest

from fabula.lib.numbers import LARGEST_ID, positive_id, whole_number


@pytest.mark.parametrize(
    "value",
    [None, "", "²", "٣", "１２", " 12", "12 ", "+1", "-1", "1_000", "1e3", "0x10", "1" * 4301]
    + [str(LARGEST_ID + 1), "9" * 20, "1\x00", "١"],
)
def test_anything_but_plain_digits_is_no_number(value):
    assert whole_number(value) is None


@pytest.mark.parametrize(("value", "number"), [("0", 0), ("007", 7), (str(LARGEST_ID), LARGEST_ID)])
def test_plain_digits_are_numbers(value, number):
    assert whole_number(value) == number


def test_an_id_is_positive_and_a_limit_holds():
    assert positive_id("0") is None and positive_id("12") == 12
    assert whole_number("1000", largest=999) is None

"""Reading old query strings: `&amp;` left in copied links, and what counts as an id."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from fabula.legacy.params import legacy_params, parse_id


def test_html_escaped_separators_are_read_as_separators():
    request = RequestFactory().get("/viewstory.php?sid=1&amp;chapter=2&amp;amp;textsize=0")
    assert legacy_params(request) == {"sid": "1", "chapter": "2", "textsize": "0"}


def test_a_name_given_twice_keeps_its_first_value():
    request = RequestFactory().get("/viewstory.php?sid=1&sid=2&amp;sid=3")
    assert legacy_params(request) == {"sid": "1"}


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1", 1),
        ("0042", 42),
        ("9223372036854775807", 2**63 - 1),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1e3", None),
        (" 1", None),
        ("", None),
        (None, None),
        ("abc", None),
        ("²", None),
        ("١", None),
        ("9223372036854775808", None),
        ("9" * 40, None),
    ],
)
def test_ids_are_positive_numbers_a_database_can_hold(value, number):
    assert parse_id(value) == number

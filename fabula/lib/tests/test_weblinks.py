"""The one web address rule (`lib.weblinks`): http and https only."""

from __future__ import annotations

import pytest

from fabula.lib.weblinks import web_address

# Links a member's profile must never get: each would run script, or open a page we did not
# check, on a click. Other tests (the profile form, the imports) send the same list.
BAD_WEBSITES = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:alert(1)",
    "java\tscript:alert(1)",
    "//evil.example/%0Aalert(1)",
]


@pytest.mark.parametrize("value", BAD_WEBSITES)
def test_script_and_relative_links_are_refused(value):
    assert web_address(value) is None


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("", ""),
        ("  ", ""),
        (" https://example.org/me ", "https://example.org/me"),
        ("http://example.org", "http://example.org"),
    ],
)
def test_web_addresses_are_kept(value, kept):
    assert web_address(value) == kept

"""`lib.text`: control characters out of stored text, and out of anything written as XML."""

from __future__ import annotations

import pytest
from lxml import etree

from fabula.lib.html import sanitize
from fabula.lib.text import has_control_characters, xml_safe
from fabula.lib.words import tidy_title

CONTROLS = ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"]


@pytest.mark.parametrize("control", CONTROLS)
def test_stored_text_loses_them(control):
    assert has_control_characters(f"a{control}b")
    # (The ones Python counts as spaces, like a vertical tab, part words as a space does.)
    assert tidy_title(f" Ti{control}tle  two ") in ("Title two", "Ti tle two")
    assert sanitize(f"<p>Bo{control}dy</p>", allowed="") == "<p>Body</p>"


def test_tabs_and_line_ends_are_text():
    assert not has_control_characters("one\ttwo\r\nthree")


@pytest.mark.parametrize("bad", ["\x01", "\x1f", "\ufffe", "\uffff", "\ud800"])
def test_xml_safe_text_is_accepted_by_lxml(bad):
    element = etree.Element("title")
    with pytest.raises(ValueError):
        element.text = f"a{bad}b"
    element.text = xml_safe(f"a{bad}b")
    assert element.text == "ab"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("<p>a</p><svg><style>.x{}Rest of <em>the</em> chapter", "Rest of <em>the</em> chapter"),
        ("<svg><style>.x{}</style></svg><p>Rest</p>", "<p>Rest</p>"),
        ("<math><style>x{}<i>Rest</i>", "<i>Rest</i>"),
        ("<p>a</p><style>p{color:red}</style><p>Rest</p>", "<p>a</p><p>Rest</p>"),
        ("<style>one</style><style>two<p>Rest</p>", "<p>Rest</p>"),
    ],
)
def test_the_sanitiser_keeps_the_text_after_a_style_sheet(given, kept):
    """An unclosed <style> inside SVG used to take the rest of the chapter with it, silently."""
    cleaned = sanitize(given, allowed="")
    assert kept in cleaned
    assert "<style" not in cleaned and "color:red" not in cleaned

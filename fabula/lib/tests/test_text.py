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

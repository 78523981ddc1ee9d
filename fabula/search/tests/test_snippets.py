"""Cutting the passage shown under a result."""

import re

import pytest

from fabula.search.backends.base import MARK_END, MARK_START
from fabula.search.query import parse
from fabula.search.snippets import passage


def marked(text: str) -> str:
    return text.replace(MARK_START, "[").replace(MARK_END, "]")


def test_marks_words_and_their_simple_forms():
    text = "The lanterns swung. " + "Filler words here. " * 30 + "A lantern fell."
    assert marked(passage(text, parse("lantern"))).startswith("The [lanterns] swung.")


def test_a_phrase_is_marked_only_where_its_words_stand_together():
    text = "keeper of the lighthouse sang. " * 3 + "Then the lighthouse keeper sang again."
    result = marked(passage(text, parse('"lighthouse keeper"')))
    assert "[lighthouse keeper]" in result and "[lighthouse] sang" not in result


def test_the_window_with_the_most_words_wins():
    text = "owl " + "moss " * 80 + "owl and fox together " + "moss " * 80
    result = marked(passage(text, parse("owl fox")))
    assert "[owl] and [fox]" in result and result.startswith("…") and result.endswith("…")


def test_no_passage_when_the_words_are_not_in_the_text():
    assert passage("nothing to see", parse("title:dragon")) == ""
    assert passage("nothing to see", parse("dragon")) == ""
    assert passage("", parse("dragon")) == ""


def test_regex_characters_in_words_are_harmless():
    assert marked(passage("a b c", parse("a.* (b"))) == "[a] [b] c"
    assert marked(passage("price 100 and more", parse("100"))) == "price [100] and more"


def test_a_word_typed_twice_is_marked_once():
    assert marked(passage("the owl sang", parse("owl owl"))) == "the [owl] sang"


def test_a_very_common_word_gives_its_first_place():
    text = "Start here. " + "the cat and the dog. " * 2000
    result = marked(passage(text, parse("the")))
    assert result.startswith("Start here. [the] cat and [the] dog.")


@pytest.mark.parametrize("lead", range(0, 12))
def test_a_passage_starts_and_ends_on_whole_words(lead):
    """Wherever the cut falls, no word is shown in part ("… et followed" for "Violet
    followed", "don" for "don't")."""
    words = "Violet followed O'Brien's tracks down the long lane, and didn't stop "
    text = "x" * lead + " " + words * 12 + "until the lighthouse came in sight. " + words * 12
    result = marked(passage(text, parse("lighthouse")))
    assert "[lighthouse]" in result
    body = result.removeprefix("… ").removesuffix(" …")
    first, last = body.split()[0], body.split()[-1]
    whole = set(re.findall(r"[\w'’]+", text)) | {"[lighthouse]"}
    assert first.strip(",.") in whole, result
    assert last.strip(",.") in whole, result

"""A byline, built in Python for speed: names escaped, linked where they have a page, "and"
between the last two in the reader's language."""

from django.utils import translation

from fabula.stories.listing.cards import CardAuthor
from fabula.stories.models import Byname
from fabula.stories.templatetags.bylines import byline_html


def test_names_are_escaped_and_linked_and_the_last_two_joined_by_and():
    one = CardAuthor(1, 10, "Ann <b>&")
    assert byline_html([one]) == f'<a href="{one.url}">Ann &lt;b&gt;&amp;</a>'
    first, last = CardAuthor(1, 10, "Ann"), CardAuthor(2, 20, 'Bo"b')
    assert byline_html([first, Byname(None, "X & Y"), last]) == (
        f'<a href="{first.url}">Ann</a>, X &amp; Y and <a href="{last.url}">Bo&quot;b</a>'
    )
    assert byline_html([]) == ""


def test_the_and_is_the_readers_language():
    with translation.override("de"):
        assert byline_html([Byname(None, "A"), Byname(None, "B")]) == "A und B"

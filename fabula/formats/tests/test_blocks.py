"""The reversible mapping between text paragraphs and stored HTML."""

import random

import pytest

from fabula.conf.markup import sanitize
from fabula.formats.blocks import (
    compact_lines,
    html_to_text,
    note_to_html,
    starts_with_block,
    text_to_html,
)
from fabula.lib.html import plain_to_html

TRICKY_TEXTS = [
    "a",
    "a\nb",
    "a\n\nb",
    "a\n\n\nb",  # a double blank line
    "a\n\n\n\nb",  # an empty paragraph between
    "\xa0",
    "\xa0 ",  # a non-breaking space followed by a space
    "  leading and trailing spaces  ",
    "tab\tinside",
    "<b>not a tag</b> & &amp; &nbsp; \"quoted\" 'single'",
    "\n\nstarts with an empty paragraph",
    "ends with a line break\n",
    "ends with blank lines\n\n",
    "unicode: é ñ 日本 — “quotes” 🙂",
    "",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
@pytest.mark.django_db  # the sanitiser reads the site's allowed tags
def test_text_survives_html_and_sanitising_exactly(text):
    stored = sanitize(text_to_html(text))
    assert html_to_text(stored) == text


@pytest.mark.parametrize("text", [t for t in TRICKY_TEXTS if "\n\n" not in t])
@pytest.mark.django_db  # the sanitiser reads the site's allowed tags
def test_inline_text_survives_exactly(text):
    stored = sanitize(text_to_html(text, inline=True))
    assert "<p>" not in stored
    assert html_to_text(stored) == text


@pytest.mark.django_db  # the sanitiser reads the site's allowed tags
def test_random_texts_survive_exactly():
    alphabet = ["a", "b", " ", "\n", "\xa0", "&", "<", ">", "\t", "é", ";", "#"]
    rng = random.Random(1970)
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert html_to_text(sanitize(text_to_html(text))) == text, repr(text)


def test_paragraphs_and_line_breaks_are_stored_as_p_and_br():
    assert text_to_html("a\nb\n\nc & d") == "<p>a<br />b</p>\n<p>c &amp; d</p>"
    assert text_to_html("a\n\n\nb") == "<p>a</p>\n<p><br />b</p>"
    assert text_to_html("x\ny", inline=True) == "x<br />y"


def test_a_one_paragraph_note_is_stored_without_p():
    assert note_to_html("Thanks for reading.") == "Thanks for reading."
    assert note_to_html("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a<br>b</p><blockquote><p>q</p></blockquote>", "a\nb\n\nq"),
        ("<p>one\n   two</p>\n\n<p>three</p>", "one two\n\nthree"),  # source line breaks
        (plain_to_html("first line\nsecond\n\nnext"), "first line\nsecond\n\nnext"),
        ("<p>&lt;b&gt; &amp; &nbsp;&#233;</p>", "<b> & \xa0é"),
        ("<ul>\n<li>x</li>\n<li>y</li>\n</ul>", "x\n\ny"),
        (
            "<h2>Title</h2><div>text <em>with</em> <a href='#'>link</a></div>",
            "Title\n\ntext with link",
        ),
        ("<pre>line 1\nline 2</pre>", "line 1\nline 2"),
        ("loose text<p>para</p>tail", "loose text\n\npara\n\ntail"),
        ("<p>a</p><hr><p>b</p>", "a\n\nb"),
        ("<p>x</p><script>alert(1)</script><style>p{}</style>", "x"),
        ("<p></p>", ""),
        ("", ""),
    ],
)
def test_any_html_is_laid_out_as_paragraphs(html, text):
    assert html_to_text(html) == text


def test_starts_with_block():
    assert starts_with_block("  <p>Summary</p>")
    assert starts_with_block("<DIV>x</DIV>")
    assert not starts_with_block("Just text <p>then a block</p>")
    assert not starts_with_block("<em>inline</em>")


def test_compact_lines_drops_only_empty_lines():
    assert compact_lines("a\n\nb\n\xa0\n\n") == "a\nb\n\xa0"

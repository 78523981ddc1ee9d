"""The query language: what a reader types becomes words, phrases, exclusions, ORs, fields."""

import pytest

from fabula.search.query import MAX_INPUT, MAX_TERMS, Term, parse


def test_words_phrases_exclusions_or_and_fields():
    query = parse('dragon "Silver Moon" -angst title:winter OR title:snow author:"night swept"')
    assert query.notice == ""
    assert query.groups == [
        [Term(("dragon",))],
        [Term(("silver", "moon"))],
        [Term(("winter",), "title"), Term(("snow",), "title")],
        [Term(("night", "swept"), "author")],
    ]
    assert query.excluded == [Term(("angst",))]


def test_every_field_prefix_is_known_and_others_are_words():
    for field in ("title", "author", "summary", "tag", "text"):
        assert parse(f"{field}:x").groups == [[Term(("x",), field)]]
    assert parse("Note: lighthouse").groups == [[Term(("note",))], [Term(("lighthouse",))]]


@pytest.mark.parametrize(
    "raw, words, says",
    [
        ('"unbalanced quote', ["unbalanced", "quote"], "quotation mark"),
        ('title:"open', ["title", "open"], "quotation mark"),
        ("OR", ["or"], "OR needs"),
        ("dragon OR", ["dragon", "or"], "OR needs"),
        ("OR dragon", ["or", "dragon"], "OR needs"),
        ("a OR OR b", ["a", "or", "b"], "OR needs"),
        ("-", [], "minus sign"),
        ("title:", ["title"], "title:"),
        ("-angst", ["angst"], "not excluded"),
    ],
)
def test_malformed_queries_fall_back_to_plain_words_and_say_so(raw, words, says):
    query = parse(raw)
    assert [t.words[0] for t in query.positive_terms()] == words
    assert query.excluded == []
    assert says in query.notice


def test_syntax_of_the_engines_is_only_ever_words():
    query = parse('NEAR(dragon* ^moon) {title}: col:"x" \' ; DROP TABLE --')
    for term in query.positive_terms() + query.excluded:
        assert all(word.isalnum() for word in term.words)


def test_long_input_nul_bytes_and_many_words_are_cut_down():
    query = parse("word " * 5000)
    assert len(query.raw) == MAX_INPUT and "first" in query.notice
    assert parse("a\x00b").groups == [[Term(("a",))], [Term(("b",))]]
    many = parse(" ".join(f"w{n}" for n in range(100)))
    assert len(many.positive_terms()) == MAX_TERMS and "words" in many.notice


def test_empty_and_punctuation_only_queries_are_empty():
    assert parse("").is_empty and parse(None).is_empty and parse("  ... !! ").is_empty

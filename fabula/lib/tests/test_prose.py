import pytest

from fabula.lib.html import sanitize
from fabula.lib.prose import Prose
from fabula.lib.words import count_words


def test_the_same_seed_writes_the_same_text():
    first, second = Prose(42), Prose(42)
    assert first.chapter_html(900) == second.chapter_html(900)
    assert first.title() == second.title()
    assert Prose(42).chapter_html(900) != Prose(43).chapter_html(900)


@pytest.mark.parametrize("words", [1, 2, 3, 4, 5, 6, 7, 11, 29, 800, 1550, 2500])
def test_texts_hold_exactly_the_words_asked_for(words):
    for seed in range(5):
        prose = Prose(seed)
        assert count_words(prose.chapter_html(words)) == words
        assert sum(count_words(p) for p in prose.paragraphs(words)) == words


def test_exact_sentences_count_right_with_names_of_several_words():
    prose = Prose(7, names=["Mrs Hudson", "the Queen of Hearts", "Ann"])
    for words in range(1, 40):
        assert count_words(prose.exact_sentence(words)) == words
        assert count_words(prose.chapter_html(words)) == words
    with pytest.raises(ValueError):
        prose.exact_sentence(0)
    assert prose.paragraphs(0) == []


def test_a_cast_appears_in_the_text():
    text = Prose(3, names=["Zebulon Quark"]).chapter_html(1500)
    assert "Zebulon Quark" in text
    assert "Mara" not in text  # the invented names are only for texts without a cast


@pytest.mark.django_db  # the sanitiser reads the site's allowed tags
def test_chapters_are_paragraphs_the_sanitiser_keeps():
    html = Prose(5).chapter_html(2000)
    assert html.startswith("<p>") and html.count("<p>") > 5
    assert count_words(sanitize(html, allowed="")) == 2000


def test_titles_and_summaries_are_short_and_varied():
    prose = Prose(11)
    titles = {prose.title() for _ in range(40)}
    assert len(titles) > 30
    assert all(0 < len(title) < 80 for title in titles)
    summary = prose.summary()
    assert summary.startswith("<p>") and 1 <= count_words(summary) < 120
    assert Prose(11).chapter_title(3)

"""Phrases on PostgreSQL go through the index of adjacent word pairs (migration 0004) before the
positions are checked: the same stories are found, and only the chapters holding every pair of
the phrase are checked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fabula.search.backends.postgres import PAIR_BYTES, phrase_pairs


def test_a_phrases_pairs_are_its_adjacent_lexemes_quoted():
    assert phrase_pairs([["laugh"], ["behind"], ["the"]]) == "'laugh behind' & 'behind the'"
    assert phrase_pairs([["the"], ["end"], ["the"], ["end"]]) == "'the end' & 'end the'"
    assert phrase_pairs([["o'brien"], ["said"]]) == "'o''brien said'"
    assert phrase_pairs([["a\\b"], ["c"]]) == "'a\\\\b c'"


def test_no_pairs_when_they_cannot_narrow_the_search():
    assert phrase_pairs([["alone"]]) is None
    # A word that is not exactly one lexeme does not stand one position from its neighbour.
    assert phrase_pairs([["well"], [], ["known"]]) is None
    assert phrase_pairs([["well"], ["well-known", "known"]]) is None
    long = "x" * PAIR_BYTES
    assert phrase_pairs([[long], ["word"]]) is None  # not in the index either
    assert phrase_pairs([[long], ["word"], ["next"]]) == "'word next'"


postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the pairs index is PostgreSQL's"
)


def _search(client, q):
    response = client.get(reverse("search:results"), {"q": q})
    assert response.status_code == 200
    return sorted(hit.card.story.title for hit in response.context["results"].hits)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@postgres_only
def test_indexing_writes_each_chapters_pairs(author, write_story):
    story = write_story(author, "Pairs", ["<p>The old lighthouse keeper sang.</p>"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(body_pairs) FROM search_document WHERE story_id = %s",
            [story.pk],
        )
        pairs = set(cursor.fetchone()[0])
    assert {"old lighthous", "lighthous keeper", "keeper sang"} <= pairs
    assert "the lighthous" not in pairs


@postgres_only
def test_a_phrase_needs_its_words_side_by_side_though_every_pair_is_there(
    client, author, write_story
):
    write_story(author, "Together", ["<p>The lighthouse keeper sang at dusk.</p>"])
    # Both pairs, "lighthouse keeper" and "keeper sang", but never the three words in a row.
    write_story(author, "Apart", ["<p>A lighthouse keeper slept. The keeper sang. Lighthouse.</p>"])
    write_story(author, "Words only", ["<p>Sang the keeper of a lighthouse.</p>"])
    with CaptureQueriesContext(connection) as queries:
        assert _search(client, '"lighthouse keeper sang"') == ["Together"]
    assert any("body_pairs @@" in query["sql"] for query in queries.captured_queries)
    assert _search(client, '"keeper sang"') == ["Apart", "Together"]
    assert _search(client, 'text:"the keeper"') == ["Apart", "Words only"]
    assert _search(client, 'lighthouse -"keeper slept"') == ["Together", "Words only"]


@postgres_only
def test_a_phrase_in_the_title_is_still_found_by_the_storys_fields(client, author, write_story):
    write_story(author, "Silver Moon Rising", ["<p>Nothing about it here.</p>"])
    assert _search(client, '"silver moon"') == ["Silver Moon Rising"]

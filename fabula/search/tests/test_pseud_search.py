"""`author:` and the author search find a story by the pseud it is signed with (and by the
account's pen name), at once after the pseud is renamed: no reindex."""

import pytest

from fabula.search.tests.test_search import results_of, titles
from fabula.stories import actions


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_author_search_finds_the_pseud(client, author, other_author, write_story, indexed):
    pen = actions.pseud_add(user=author, name="Harbour Light")
    with indexed():
        story = write_story(author, "Tidewater")
        write_story(other_author, "Elsewhere")
        actions.credit_sign(story=story, user=author, pseud=pen)
    for query in ('author:"harbour light"', "author:harbour", 'author:"night swept"'):
        assert titles(results_of(client, q=query)[1]) == ["Tidewater"], query
    with indexed():
        actions.pseud_rename(user=author, pseud=pen, name="Low Tide")
    assert titles(results_of(client, q='author:"low tide"')[1]) == ["Tidewater"]
    assert titles(results_of(client, q='author:"harbour light"')[1]) == []

"""Guests' reads from the page cache (`api/caching.py`): a story object asked again costs no
query, a conditional request that hits the cache is a 304 without building, any change to the
archive retires every kept answer, and nothing with a token is ever kept."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fabula.api.tests.helpers import API, bearer
from fabula.lib import limits
from fabula.lib.ratelimit import Limit
from fabula.stories import actions


@pytest.fixture
def story(make_story, author):
    return make_story(author, "Kept Story")


def _queries(client, address: str, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, **headers)
    return response, len(queries)


def test_a_story_object_asked_again_costs_no_query(client, story):
    first, built = _queries(client, f"{API}/stories/{story.pk}")
    again, spent = _queries(client, f"{API}/stories/{story.pk}")
    assert built > 0 and spent == 0
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again["Cache-Control"] == "public, max-age=60"


def test_a_conditional_request_is_304_from_the_cache(client, story):
    etag = client.get(f"{API}/stories/{story.pk}")["ETag"]
    response, spent = _queries(client, f"{API}/stories/{story.pk}", HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, spent, response.content) == (304, 0, b"")
    assert response["ETag"] == etag
    stale, _ = _queries(client, f"{API}/stories/{story.pk}", HTTP_IF_NONE_MATCH='"old"')
    assert stale.status_code == 200 and stale.json()["title"] == "Kept Story"


def test_the_first_conditional_request_keeps_the_whole_answer(client, story):
    """A client that already had the answer asks first: it gets its 304, and the next guest
    without a copy still gets the whole body from the cache."""
    etag = client.get(f"{API}/stories/{story.pk}")["ETag"]
    cache.clear()
    assert client.get(f"{API}/stories/{story.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    response, spent = _queries(client, f"{API}/stories/{story.pk}")
    assert (response.status_code, spent) == (200, 0)
    assert response.json()["id"] == story.pk


def test_a_change_retires_the_kept_answer(client, author, story):
    before = client.get(f"{API}/stories/{story.pk}")
    actions.story_update(story=story, title="Renamed", rating=story.rating, by=author)
    after = client.get(f"{API}/stories/{story.pk}")
    assert after.json()["title"] == "Renamed" and after["ETag"] != before["ETag"]


def test_kudos_and_reviews_retire_the_answers_about_their_story(client, reader, story):
    assert client.get(f"{API}/stories/{story.pk}").json()["counts"]["kudos"] == 0
    assert client.get(f"{API}/stories/{story.pk}/reviews").json()["count"] == 0
    write = bearer(reader, "write")
    client.post(f"{API}/stories/{story.pk}/kudos", **write)
    client.post(
        f"{API}/stories/{story.pk}/reviews",
        '{"body": "Lovely"}',
        content_type="application/json",
        **write,
    )
    assert client.get(f"{API}/stories/{story.pk}").json()["counts"]["kudos"] == 1
    assert client.get(f"{API}/stories/{story.pk}/reviews").json()["count"] == 1


def test_the_key_holds_the_parameters_the_operation_reads_and_no_others(client, story):
    whole = client.get(f"{API}/stories/{story.pk}").json()
    trimmed = client.get(f"{API}/stories/{story.pk}?fields=title").json()
    assert trimmed == {"title": "Kept Story"} and len(whole) > 1
    # An unknown parameter is neither a new entry nor seen by the operation.
    response, spent = _queries(client, f"{API}/stories/{story.pk}?fields=title&junk=1")
    assert (response.json(), spent) == ({"title": "Kept Story"}, 0)
    page = client.get(f"{API}/stories?per_page=1&junk=2")
    assert "junk" not in page["Link"]


def test_nothing_with_a_token_is_kept(client, archive, author, reader, make_story):
    members = make_story(author, "Members Story", rating=archive.members_only)
    assert client.get(f"{API}/stories/{members.pk}").status_code == 403  # not kept
    token = bearer(reader)
    for _ in range(2):
        response, spent = _queries(client, f"{API}/stories/{members.pk}", **token)
        assert response.status_code == 200 and spent > 0
        assert response["Cache-Control"] == "private, no-cache"
    assert client.get(f"{API}/stories/{members.pk}").status_code == 403


def test_errors_are_not_kept(client, story):
    for _ in range(2):
        missing, spent = _queries(client, f"{API}/stories/{story.pk + 1000}")
        assert missing.status_code == 404 and spent > 0


def test_a_kept_answer_is_not_counted_against_the_rate_limit(client, story, monkeypatch):
    monkeypatch.setattr(limits, "API_PER_ADDRESS", Limit("api-address", 2, 3600))
    codes = [client.get(f"{API}/stories/{story.pk}").status_code for _ in range(5)]
    assert codes == [200] * 5
    codes = [client.get(f"{API}/stories/{story.pk}?fields={n}").status_code for n in range(3)]
    assert codes == [200, 429, 429]  # the first was counted above, when it was built

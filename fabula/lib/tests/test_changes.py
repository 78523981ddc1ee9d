"""`changed(...)`: the page cache is retired at once, listeners hear which ids changed."""

from __future__ import annotations

import pytest

from fabula.lib import changes, pagecache
from fabula.search import indexing

pytestmark = pytest.mark.django_db  # a change waits for its transaction's commit


@pytest.fixture
def heard(monkeypatch) -> list[changes.Change]:
    monkeypatch.setattr(changes, "_listeners", [])  # only this test's own
    seen: list[changes.Change] = []
    changes.listen(seen.append)
    changes.listen(seen.append)  # listening twice still hears once
    return seen


def test_every_change_retires_the_cached_pages(heard):
    before = pagecache.generation()
    changes.changed()
    assert pagecache.generation() > before
    assert heard == []  # nothing named: nothing for the listeners to do


def test_the_pages_rendered_before_the_commit_are_retired_by_it(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changes.changed()
        # Another worker may render a page now, from data without the uncommitted change.
        during = pagecache.generation()
    assert pagecache.generation() > during


def test_listeners_hear_the_ids_named(heard):
    changes.changed(story=3, stories=[4, 3], chapter=7, removed_story=9, series=2)
    assert heard == [
        changes.Change(
            stories=frozenset({3, 4}),
            chapters=frozenset({7}),
            removed_stories=frozenset({9}),
            series=frozenset({2}),
        )
    ]


def test_the_search_app_listens_from_ready():
    assert indexing.follow in changes._listeners

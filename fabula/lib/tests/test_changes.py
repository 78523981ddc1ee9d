"""`changed(...)`: the page cache is retired at once, listeners hear which ids changed."""

from __future__ import annotations

import pytest

from fabula.lib import changes, pagecache
from fabula.search import indexing


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

"""Counts of a list for guests, kept until the archive's content changes.

Every page of a list (each of its pages, each order) shows the same counts: how many stories,
and the filter sidebar's numbers. Counting reads every story of the list, which grows with the
archive: a fandom of 16,000 stories at a million took half a second a page (docs/decisions.md,
"The million-story archive"). Every guest sees the same stories (`permissions.lists_alike_for_all`),
so what a guest's list counts is kept in the cache under the content generation, which every
write that can move a story in or out of a list retires (`lib.changes.changed`); the writes that
move only counters (kudos, reviews) change no count kept here. A member's lists leave out what
their blocklist names, which no generation follows: they are counted on every page.

The key is the list's SQL and its parameters: two lists are the same when they ask the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from fabula.lib.pagecache import kept_for_generation
from fabula.stories.permissions import Viewer, lists_alike_for_all

Counted = TypeVar("Counted")
# Kept this long at most; a change retires them before (the generation moves).
COUNTS_SECONDS = 3600


def counted_once(
    viewer: Viewer | None, rows: QuerySet, name: str, count: Callable[[], Counted]
) -> Counted:
    """What `count()` counts of `rows` (a queryset of the stories, or of their filings, a
    reader may see), kept for every guest; for a member, or a reader not named, counted now.
    `name` tells apart what different callers count of the same rows."""
    if viewer is None or not lists_alike_for_all(viewer):
        return count()
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing: nothing to count, nothing to key
        return count()
    digest = hashlib.blake2b(f"{sql}\x00{params!r}".encode(), digest_size=16).hexdigest()
    return kept_for_generation(f"counts:{name}:{digest}", count, COUNTS_SECONDS)

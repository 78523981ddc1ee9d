"""What changed in the archive: every action says it once, at its end, with `changed(...)`.

The actions that write content (stories, chapters, series, reviews, members' pages, site
settings) end with one explicit call naming what they changed:

    changed(story=story)                 # its fields, tags, authors or chapters
    changed(chapter=chapter)             # one chapter's text or status
    changed(removed_story=story_id)      # a story that is gone (its id, taken before deleting)
    changed(series=series)               # a series' title or stories
    changed(tags=tag_ids)                # wrangled tags: what the stories filed under them mean
    changed()                            # something else guests see (a profile, a series review)

The guest page cache (`lib.pagecache`) is retired at once, whatever changed. The writes that
only move a story's counters (kudos, reviews, favourites: many a second on a busy archive) say
`counts_changed(story=story)` instead: that story's own pages are retired, the lists showing its
counts catch up within PAGE_CACHE_SECONDS, and nothing is indexed again. Apps that keep a
copy of the content register a listener in their `AppConfig.ready()` with `listen(...)`: the
search app indexes again the stories and chapters named, waiting for the commit as it always
did. So the apps that write content (stories, below search) need not import the apps that
follow it, and adding a copy (a sitemap, a feed cache) touches only the app that keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model

from fabula.lib.pagecache import content_changed, story_changed


@dataclass(frozen=True)
class Change:
    """The ids an action names as changed (each may be empty)."""

    stories: frozenset[int] = frozenset()
    chapters: frozenset[int] = frozenset()
    removed_stories: frozenset[int] = frozenset()
    series: frozenset[int] = frozenset()
    tags: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(
            self.stories or self.chapters or self.removed_stories or self.series or self.tags
        )


Listener = Callable[[Change], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call `listener` with every named `Change` from now on (once, however often asked)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _ids(one: Model | int | None, many: Iterable[Model | int]) -> frozenset[int]:
    items = [*([] if one is None else [one]), *many]
    return frozenset(item if isinstance(item, int) else item.pk for item in items)


def changed(
    *,
    story: Model | int | None = None,
    stories: Iterable[Model | int] = (),
    chapter: Model | int | None = None,
    chapters: Iterable[Model | int] = (),
    removed_story: Model | int | None = None,
    series: Model | int | None = None,
    tags: Iterable[Model | int] = (),
) -> None:
    """The archive's content changed: retire the cached guest pages, and tell the listeners
    which stories, chapters and series (if any) to bring up to date."""
    content_changed()
    change = Change(
        stories=_ids(story, stories),
        chapters=_ids(chapter, chapters),
        removed_stories=_ids(removed_story, ()),
        series=_ids(series, ()),
        tags=_ids(None, tags),
    )
    if change:
        for listener in _listeners:
            listener(change)


def counts_changed(*, story: Model | int) -> None:
    """Only this story's counters moved (its kudos, reviews or favourites): retire its own
    pages, not the archive's."""
    story_changed(_ids(story, ()))

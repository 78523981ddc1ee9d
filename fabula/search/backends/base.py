"""What both search backends share: the record of a story a query matches, and the marks around
highlighted words. Apart from the package's `__init__`, which imports both backends to pick
one, so that they can import this without a cycle."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

# Marks around highlighted words in snippets; documents never hold them (see indexing).
MARK_START, MARK_END = "\x02", "\x03"


class StoryMatch(NamedTuple):
    """A story a query matches."""

    story_id: int
    chapter_id: int  # its first released chapter that matches,
    position: int  # and that chapter's place
    chapters: int  # how many of its chapters match
    score: float | None  # its best chapter's (lower is better); None when not scored


class Sight(NamedTuple):
    """What a guest may know of a story, as the index keeps it beside each of its chapters
    (`indexing.sights`): the rows a guest's search may read are those open to guests whose
    rating a guest may read (`permissions.unlocked_stories`, `permissions.guest_ratings`)."""

    open_to_guests: bool  # public and not locked by its authors
    rating_id: int


class Matches(NamedTuple):
    """What a backend's `matches` found."""

    stories: list[StoryMatch]
    scored: bool  # scored by relevance: few enough chapters matched (`scored_limit`)
    # Every match was read; False: the first `read_limit` of them only, in the index's order
    # (a word found in most chapters), and more match.
    complete: bool = True

    @classmethod
    def unscored(cls, stories: list[StoryMatch], read_limit: int) -> Matches:
        """A broad query's stories, from its matching chapters read up to read_limit + 1: all
        of them, unless more than read_limit were read."""
        read = sum(story.chapters for story in stories)
        return cls(stories, scored=False, complete=read <= read_limit)


def by_story(rows: Iterable[tuple[int, int, int, float | None]]) -> list[StoryMatch]:
    """Matching chapters (story_id, chapter_id, position, score) gathered by story."""
    found: dict[int, StoryMatch] = {}
    for story_id, chapter_id, position, score in rows:
        seen = found.get(story_id)
        if seen is None:
            found[story_id] = StoryMatch(story_id, chapter_id, position, 1, score)
            continue
        first = (
            (chapter_id, position) if position < seen.position else (seen.chapter_id, seen.position)
        )
        best = (
            score
            if seen.score is None or (score is not None and score < seen.score)
            else seen.score
        )
        found[story_id] = StoryMatch(story_id, *first, seen.chapters + 1, best)
    return list(found.values())

"""The search index behind one interface, on the database in use.

Both backends hold a row per published chapter: the story's fields (title, authors, summary
with notes and series titles, tags) beside the chapter's own text. A query matches a chapter when
every group of terms matches its row; a story matches when one of its chapters does, so the
first matching chapter gives the snippet and the link. Excluded terms leave out a story where
they appear in any chapter. Scores are "lower is better" on both, so callers sort the same way.

The contract every backend keeps:

- `match_sql(query, now)` -> (sql, params): SELECT story_id, chapter_id, position of the
  released chapters matching the query's groups;
- `matches(query, now, keep, keep_params, scored_limit)` -> (list of StoryMatch, scored): the
  stories the SQL condition `keep` keeps that match, each with its first matching chapter, and
  scored only when no more than `scored_limit` chapters match (scoring costs far more than
  matching: see results.find);
- `excluded_sql(query)` -> (sql, params): SELECT story_id for stories holding an excluded term;
- `id_list_sql()` and `id_list_param(ids)`: a subquery of a list of ids bound as one parameter;
- `texts(chapter_ids)` -> {chapter_id: plain text};
- `write(documents)`, `delete_stories(ids)`, `delete_chapters(ids)`, `clear()`, `optimize()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import NamedTuple

from django.db import connection
from django.db.models.expressions import RawSQL

# Marks around highlighted words in snippets; documents never hold them (see indexing).
MARK_START, MARK_END = "\x02", "\x03"


class StoryMatch(NamedTuple):
    """A story a query matches."""

    story_id: int
    chapter_id: int  # its first released chapter that matches,
    position: int  # and that chapter's place
    chapters: int  # how many of its chapters match
    score: float | None  # its best chapter's (lower is better); None when not scored


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


def backend() -> ModuleType:
    """The module for the configured database: SQLite FTS5 or PostgreSQL tsvector."""
    if connection.vendor == "postgresql":
        from fabula.search.backends import postgres

        return postgres
    if connection.vendor == "sqlite":
        from fabula.search.backends import sqlite_fts

        return sqlite_fts
    raise RuntimeError(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")


def id_list(ids: Iterable[int]) -> RawSQL:
    """A list of ids for `field__in=`, bound as one parameter however long it is (SQLite would
    refuse tens of thousands of parameters; both databases parse one array faster)."""
    engine = backend()
    return RawSQL(engine.id_list_sql(), [engine.id_list_param(list(ids))])

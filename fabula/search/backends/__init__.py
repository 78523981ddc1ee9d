"""The search index behind one interface, on the database in use.

Both backends hold a row per published chapter: the story's fields (title, authors, summary
with notes and series titles, tags) beside the chapter's own text. A query matches a chapter when
every group of terms matches its row; a story matches when one of its chapters does, so the
first matching chapter gives the snippet and the link. Excluded terms leave out a story where
they appear in any chapter. Scores are "lower is better" on both, so callers sort the same way.

The contract every backend keeps:

- `match_sql(query, now)` -> (sql, params): SELECT story_id, chapter_id, position of the
  released chapters matching the query's groups;
- `matches(query, now, keep, keep_params, scored_limit, read_limit)` -> Matches: the stories
  the SQL condition `keep` keeps that match, each with its first matching chapter, scored only
  when no more than `scored_limit` chapters match (scoring costs far more than matching), and
  found among the first `read_limit` matching chapters the condition keeps (stories for a query
  on the stories' fields alone), with whether that was all of them (see results.find);
- `excluded_sql(query)` -> (sql, params): SELECT story_id for stories holding an excluded term;
- `texts(chapter_ids)` -> {chapter_id: plain text};
- `write(documents)`, `delete_stories(ids)`, `delete_chapters(ids)`, `clear()`, `optimize()`.
"""

from __future__ import annotations

from types import ModuleType

from django.db import connection


def backend() -> ModuleType:
    """The module for the configured database: SQLite FTS5 or PostgreSQL tsvector. Each is
    imported only on its own database: the PostgreSQL one loads psycopg, megabytes that a
    SQLite site's every worker would carry for nothing (docs/decisions.md)."""
    if connection.vendor == "postgresql":
        from fabula.search.backends import postgres

        return postgres
    if connection.vendor == "sqlite":
        from fabula.search.backends import sqlite_fts

        return sqlite_fts
    raise RuntimeError(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")

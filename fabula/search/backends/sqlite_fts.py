"""The search index on SQLite: the FTS5 table `search_fts` and its companion `search_entry`
(migration 0001).

`search_fts` holds title, author, summary, tags and body (Porter-stemmed), its rowid being the
chapter's id; `search_entry` holds each chapter's story, position and release time (a Unix time,
or NULL), so a match is joined to its story without reading the text back. A query is compiled
into FTS5's syntax from the parsed words only, each word or phrase in double quotes, so nothing
a reader types is ever read as FTS5 syntax.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from django.db import connection

from fabula.search.query import Query, Term

COLUMNS = {"title": "title", "author": "author", "summary": "summary", "tag": "tags", "text": "body"}
# bm25 weights in column order: a word in the title or an author's name counts far more than
# one in the text.
RANK = "bm25(search_fts, 10.0, 8.0, 2.0, 4.0, 1.0)"


def _term(term: Term) -> str:
    phrase = '"' + " ".join(term.words) + '"'
    return f"{COLUMNS[term.field]} : {phrase}" if term.field else phrase


def compile_match(groups: list[list[Term]]) -> str:
    return " AND ".join("(" + " OR ".join(_term(t) for t in group) + ")" for group in groups)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def match_sql(query: Query, now: datetime, *, scored: bool = True, limit: int = -1) -> tuple[str, list]:
    score = f", {RANK} AS score" if scored else ""
    return (
        f"SELECT e.story_id, e.chapter_id, e.position{score}"
        " FROM search_fts JOIN search_entry e ON e.chapter_id = search_fts.rowid"
        " WHERE search_fts MATCH %s AND (e.release_at IS NULL OR e.release_at <= %s)"
        # A LIMIT (-1: none) also keeps SQLite from flattening this into an outer GROUP BY,
        # where bm25() cannot run.
        " LIMIT %s",
        [compile_match(query.groups), _epoch(now), limit],
    )


def excluded_sql(query: Query) -> tuple[str, list]:
    return (
        "SELECT e.story_id FROM search_fts JOIN search_entry e ON e.chapter_id = search_fts.rowid"
        " WHERE search_fts MATCH %s",
        [compile_match([query.excluded])],
    )


def id_list_sql() -> str:
    """A subquery of the ids in one parameter (a JSON array): a long list binds as one value."""
    return "SELECT value FROM json_each(%s)"


def id_list_param(ids: list[int]) -> str:
    return json.dumps(ids)


def texts(chapter_ids: list[int]) -> dict[int, str]:
    """The indexed plain text of these chapters."""
    if not chapter_ids:
        return {}
    marks = ", ".join(["%s"] * len(chapter_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, body FROM search_fts WHERE rowid IN ({marks})", chapter_ids)
        return dict(cursor.fetchall())


def write(documents: Iterable) -> None:
    """Add or replace the rows of these chapters."""
    documents = list(documents)
    if not documents:
        return
    delete_chapters([d.chapter_id for d in documents])
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, author, summary, tags, body)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [(d.chapter_id, d.title, d.author, d.summary, d.tags, d.body) for d in documents],
        )
        cursor.executemany(
            "INSERT INTO search_entry (chapter_id, story_id, position, release_at)"
            " VALUES (%s, %s, %s, %s)",
            [(d.chapter_id, d.story_id, d.position,
              _epoch(d.release_at) if d.release_at else None) for d in documents],
        )


def delete_stories(story_ids: list[int]) -> None:
    if not story_ids:
        return
    marks = ", ".join(["%s"] * len(story_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM search_fts WHERE rowid IN"
            f" (SELECT chapter_id FROM search_entry WHERE story_id IN ({marks}))", story_ids,
        )
        cursor.execute(f"DELETE FROM search_entry WHERE story_id IN ({marks})", story_ids)


def delete_chapters(chapter_ids: list[int]) -> None:
    if not chapter_ids:
        return
    marks = ", ".join(["%s"] * len(chapter_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chapter_ids)
        cursor.execute(f"DELETE FROM search_entry WHERE chapter_id IN ({marks})", chapter_ids)


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts")
        cursor.execute("DELETE FROM search_entry")


def optimize() -> None:
    """Merge the index's segments into one, after a rebuild."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_entry")
        return cursor.fetchone()[0]

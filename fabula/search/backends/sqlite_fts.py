"""The search index on SQLite: the FTS5 table `search_fts` and its companion `search_entry`
(migration 0001), and the story table `search_story_fts` (0002).

`search_fts` holds title, author, summary, tags and body (Porter-stemmed), its rowid being the
chapter's id; `search_entry` holds each chapter's story, position and release time (a Unix time,
or NULL), so a match is joined to its story without reading the text back; `search_story_fts`
holds the same fields once per story (its rowid the story's id), for queries on those fields
alone. A query is compiled
into FTS5's syntax from the parsed words only, each word or phrase in double quotes, so nothing
a reader types is ever read as FTS5 syntax.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection

from fabula.search.backends.base import Matches, Sight, StoryMatch, by_story
from fabula.search.query import Query, Term
from fabula.stories.models import released_sql

COLUMNS = {
    "title": "title",
    "author": "author",
    "summary": "summary",
    "tag": "tags",
    "text": "body",
}
# bm25 weights in column order: a word in the title or an author's name counts far more than
# one in the text.
RANK = "bm25(search_fts, 10.0, 8.0, 2.0, 4.0, 1.0)"
STORY_RANK = "bm25(search_story_fts, 10.0, 8.0, 2.0, 4.0)"
RELEASED = released_sql("e")  # its parameter a Unix time, as search_entry keeps it


def _term(term: Term) -> str:
    phrase = '"' + " ".join(term.words) + '"'
    return f"{COLUMNS[term.field]} : {phrase}" if term.field else phrase


def compile_match(groups: list[list[Term]]) -> str:
    return " AND ".join("(" + " OR ".join(_term(t) for t in group) + ")" for group in groups)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def match_sql(
    query: Query, now: datetime, *, scored: bool = False, limit: int = -1
) -> tuple[str, list]:
    """SELECT story_id, chapter_id, position, open_to_guests, rating_id (and score) of the
    released chapters matching."""
    score = f", {RANK} AS score" if scored else ""
    return (
        f"SELECT e.story_id, e.chapter_id, e.position, e.open_to_guests, e.rating_id{score}"
        " FROM search_fts JOIN search_entry e ON e.chapter_id = search_fts.rowid"
        f" WHERE search_fts MATCH %s AND {RELEASED}"
        # A LIMIT (-1: none) also keeps SQLite from flattening this into an outer query,
        # where bm25() cannot run.
        " LIMIT %s",
        [compile_match(query.groups), _epoch(now), limit],
    )


def _story_match_sql(query: Query, *, scored: bool, limit: int = -1) -> tuple[str, list]:
    """SELECT story_id (and score) of the stories whose own fields match: the story table."""
    score = f", {STORY_RANK} AS score" if scored else ", NULL AS score"
    return (
        f"SELECT rowid AS story_id{score} FROM search_story_fts WHERE search_story_fts MATCH %s"
        " LIMIT %s",
        [compile_match(query.groups), limit],
    )


def matches(
    query: Query, now: datetime, keep: str, keep_params: list, scored_limit: int, read_limit: int
) -> Matches:
    """The stories matching, among those `keep` (SQL on `m.story_id`) keeps: scored when no
    more than `scored_limit` chapters match, found among the first `read_limit` matching
    chapters kept (see the backends' contract).

    FTS5 scores as it reads, so the first pass scores up to scored_limit + 1 matches; only a
    broader query reads its matches a second time, unscored, kept and counted by story in SQL,
    and stops after read_limit + 1. A query on the stories' own fields alone reads the story
    table, and answers every released chapter of those stories.
    """
    if query.fields_only:
        return _story_matches(query, now, keep, keep_params, scored_limit, read_limit)
    sql, params = match_sql(query, now, scored=True, limit=scored_limit + 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.story_id, m.chapter_id, m.position, m.score, {keep} FROM ({sql}) m",
            [*keep_params, *params],
        )
        rows = cursor.fetchall()
        if len(rows) <= scored_limit:
            return Matches(by_story(row[:4] for row in rows if row[4]), scored=True)
        sql, params = match_sql(query, now)
        # With one min() in the query, SQLite takes the bare chapter_id from that same row.
        cursor.execute(
            "SELECT story_id, chapter_id, min(position), count(*), NULL FROM"
            f" (SELECT m.story_id, m.chapter_id, m.position FROM ({sql}) m WHERE {keep} LIMIT %s)"
            " GROUP BY story_id",
            [*params, *keep_params, read_limit + 1],
        )
        return Matches.unscored([StoryMatch(*row) for row in cursor.fetchall()], read_limit)


def _story_matches(
    query: Query, now: datetime, keep: str, keep_params: list, scored_limit: int, read_limit: int
) -> Matches:
    with connection.cursor() as cursor:
        sql, params = _story_match_sql(query, scored=False, limit=scored_limit + 1)
        cursor.execute(f"SELECT count(*) FROM ({sql})", params)
        scored = cursor.fetchone()[0] <= scored_limit
        sql, params = _story_match_sql(query, scored=scored)
        # The first read_limit + 1 stories kept that have a released chapter, then their
        # chapters. The story's score is alike in all its rows; chapter_id comes from the min()
        # row.
        cursor.execute(
            f"SELECT m.story_id, e.chapter_id, min(e.position), count(*), m.score FROM"
            f" (SELECT m.story_id, m.score FROM ({sql}) m WHERE {keep} AND EXISTS"
            f" (SELECT 1 FROM search_entry e WHERE e.story_id = m.story_id AND {RELEASED})"
            " LIMIT %s) m"
            f" JOIN search_entry e ON e.story_id = m.story_id WHERE {RELEASED}"
            " GROUP BY m.story_id",
            [*params, *keep_params, _epoch(now), read_limit + 1, _epoch(now)],
        )
        found = [StoryMatch(*row) for row in cursor.fetchall()]
    return Matches(found, scored=scored, complete=len(found) <= read_limit)


def excluded_sql(query: Query) -> tuple[str, list]:
    return (
        "SELECT e.story_id FROM search_fts JOIN search_entry e ON e.chapter_id = search_fts.rowid"
        " WHERE search_fts MATCH %s",
        [compile_match([query.excluded])],
    )


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
            "INSERT INTO search_entry (chapter_id, story_id, position, release_at,"
            " open_to_guests, rating_id) VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (
                    d.chapter_id,
                    d.story_id,
                    d.position,
                    _epoch(d.release_at) if d.release_at else None,
                    d.sight.open_to_guests,
                    d.sight.rating_id,
                )
                for d in documents
            ],
        )
    _write_stories(documents)


def _write_stories(documents: list) -> None:
    """The story rows of these documents' stories, from their fields (alike in every chapter)."""
    stories = {d.story_id: d for d in documents}
    _delete_story_rows(list(stories))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_story_fts (rowid, title, author, summary, tags) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(d.story_id, d.title, d.author, d.summary, d.tags) for d in stories.values()],
        )


def _delete_story_rows(story_ids: list[int]) -> None:
    marks = ", ".join(["%s"] * len(story_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM search_story_fts WHERE rowid IN ({marks})", story_ids)


def set_sights(sights: dict[int, Sight]) -> None:
    """Write what a guest may know of these stories on all their rows."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE search_entry SET open_to_guests = %s, rating_id = %s WHERE story_id = %s",
            [(sight.open_to_guests, sight.rating_id, pk) for pk, sight in sights.items()],
        )


def delete_stories(story_ids: list[int]) -> None:
    if not story_ids:
        return
    marks = ", ".join(["%s"] * len(story_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM search_fts WHERE rowid IN"
            f" (SELECT chapter_id FROM search_entry WHERE story_id IN ({marks}))",
            story_ids,
        )
        cursor.execute(f"DELETE FROM search_entry WHERE story_id IN ({marks})", story_ids)
    _delete_story_rows(story_ids)


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
        cursor.execute("DELETE FROM search_story_fts")


def optimize() -> None:
    """Merge the index's segments into one, after a rebuild."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        cursor.execute("INSERT INTO search_story_fts (search_story_fts) VALUES ('optimize')")


def count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_entry")
        return cursor.fetchone()[0]

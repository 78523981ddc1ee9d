"""The search index on PostgreSQL: the table `search_document` (migration 0001).

A row per published chapter with two tsvector columns, each under a GIN index: `meta`, the
story's fields weighted by what they are (A title, B authors, C tags, D summary, notes and
series), and `body_vector`, the chapter's text. A field prefix becomes a weight restriction
(`title:` -> `:A` in `meta`) or a choice of column (`text:` -> `body_vector`). Queries are
built with `to_tsquery` over the parsed words only, each quoted as a lexeme, so nothing a
reader types is read as tsquery syntax. The `fabula` configuration stems English but keeps stop
words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import psycopg
from django.db import connection

from fabula.search.query import Query, Term

CONFIG = "fabula"
WEIGHTS = {"title": "A", "author": "B", "tag": "C", "summary": "D"}
# ts_rank's weights come in the order {D, C, B, A}: the title counts most, then authors.
META_RANK = "'{0.2, 0.4, 0.9, 1.0}'"


def _tsquery_text(term: Term, weight: str = "") -> str:
    label = f":{weight}" if weight else ""
    return " <-> ".join(f"'{word}'{label}" for word in term.words)


def _condition(term: Term) -> tuple[str, list]:
    """SQL true when the row holds the term, and its parameters."""
    query = f"to_tsquery('{CONFIG}', %s)"
    if term.field == "text":
        return f"body_vector @@ {query}", [_tsquery_text(term)]
    if term.field:
        return f"meta @@ {query}", [_tsquery_text(term, WEIGHTS[term.field])]
    text = _tsquery_text(term)
    return f"(meta @@ {query} OR body_vector @@ {query})", [text, text]


def _where(groups: list[list[Term]]) -> tuple[str, list]:
    parts, params = [], []
    for group in groups:
        conditions = [_condition(term) for term in group]
        parts.append("(" + " OR ".join(sql for sql, _ in conditions) + ")")
        params += [p for _, group_params in conditions for p in group_params]
    return " AND ".join(parts), params


def _rank_query(query: Query) -> str:
    """Every positive term at once, for scoring."""
    return " | ".join(f"({_tsquery_text(term)})" for term in query.positive_terms())


def match_sql(query: Query, now: datetime) -> tuple[str, list]:
    where, params = _where(query.groups)
    return (
        "SELECT story_id, chapter_id, position,"
        f" -(2 * ts_rank({META_RANK}, meta, to_tsquery('{CONFIG}', %s))"
        f" + ts_rank(body_vector, to_tsquery('{CONFIG}', %s))) AS score"
        f" FROM search_document WHERE {where} AND (release_at IS NULL OR release_at <= %s)",
        [_rank_query(query), _rank_query(query), *params, now],
    )


def ids_sql(query: Query, now: datetime) -> tuple[str, list]:
    """SELECT story_id of the matching released chapters, without scoring them."""
    where, params = _where(query.groups)
    return (
        f"SELECT story_id FROM search_document WHERE {where}"
        " AND (release_at IS NULL OR release_at <= %s)",
        [*params, now],
    )


def excluded_sql(query: Query) -> tuple[str, list]:
    where, params = _where([query.excluded])
    return f"SELECT story_id FROM search_document WHERE {where}", params


def first_chapters(query: Query, story_ids: list[int], now: datetime) -> dict[int, tuple[int, int]]:
    """{story_id: (chapter_id, position)}: each story's first released chapter that matches."""
    if not story_ids:
        return {}
    where, params = _where(query.groups)
    sql = (
        "SELECT DISTINCT ON (story_id) story_id, chapter_id, position FROM search_document"
        f" WHERE {where} AND story_id = ANY(%s) AND (release_at IS NULL OR release_at <= %s)"
        " ORDER BY story_id, position"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, list(story_ids), now])
        return {story_id: (chapter_id, position) for story_id, chapter_id, position in cursor.fetchall()}


def texts(chapter_ids: list[int]) -> dict[int, str]:
    """The indexed plain text of these chapters."""
    if not chapter_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT chapter_id, body FROM search_document WHERE chapter_id = ANY(%s)",
            [list(chapter_ids)],
        )
        return dict(cursor.fetchall())


# One statement for a whole batch: the rows come as arrays, and PostgreSQL computes every
# tsvector itself (one round trip, and the text travels once).
_INSERT = (
    "INSERT INTO search_document (chapter_id, story_id, position, release_at, body, meta,"
    " body_vector)"
    " SELECT d.chapter_id, d.story_id, d.position, d.release_at, d.body,"
    f" setweight(to_tsvector('{CONFIG}', d.title), 'A') || setweight(to_tsvector('{CONFIG}', d.author), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', d.tags), 'C') || setweight(to_tsvector('{CONFIG}', d.summary), 'D'),"
    f" to_tsvector('{CONFIG}', d.body)"
    " FROM unnest(%s::integer[], %s::integer[], %s::integer[], %s::timestamptz[], %s::text[],"
    " %s::text[], %s::text[], %s::text[], %s::text[])"
    " AS d(chapter_id, story_id, position, release_at, body, title, author, tags, summary)"
    " ON CONFLICT (chapter_id) DO UPDATE SET story_id = EXCLUDED.story_id,"
    " position = EXCLUDED.position, release_at = EXCLUDED.release_at, body = EXCLUDED.body,"
    " meta = EXCLUDED.meta, body_vector = EXCLUDED.body_vector"
)


def write(documents: Iterable) -> None:
    """Add or replace the rows of these chapters."""
    documents = list(documents)
    if documents:
        columns = ("chapter_id", "story_id", "position", "release_at", "body", "title", "author", "tags", "summary")
        connection.ensure_connection()
        # Bound on the server: the arrays go as they are, not quoted into the statement text by
        # Python (Django's cursors bind on the client).
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(_INSERT, [[getattr(d, column) for d in documents] for column in columns])


def delete_stories(story_ids: list[int]) -> None:
    if story_ids:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document WHERE story_id = ANY(%s)", [list(story_ids)])


def delete_chapters(chapter_ids: list[int]) -> None:
    if chapter_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE chapter_id = ANY(%s)", [list(chapter_ids)]
            )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_document")


def optimize() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")


def count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_document")
        return cursor.fetchone()[0]

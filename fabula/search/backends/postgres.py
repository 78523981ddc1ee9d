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


def match_sql(query: Query, now: datetime, *, scored: bool = True, limit: int | None = None
              ) -> tuple[str, list]:
    where, params = _where(query.groups)
    score, score_params = "", []
    if scored:
        score = (
            f", -(2 * ts_rank({META_RANK}, meta, to_tsquery('{CONFIG}', %s))"
            f" + ts_rank(body_vector, to_tsquery('{CONFIG}', %s))) AS score"
        )
        score_params = [_rank_query(query), _rank_query(query)]
    return (
        f"SELECT story_id, chapter_id, position{score}"
        f" FROM search_document WHERE {where} AND (release_at IS NULL OR release_at <= %s)"
        " LIMIT %s",
        [*score_params, *params, now, limit],
    )


def excluded_sql(query: Query) -> tuple[str, list]:
    where, params = _where([query.excluded])
    return f"SELECT story_id FROM search_document WHERE {where}", params


def id_list_sql() -> str:
    """A subquery of the ids in one parameter (an array): a long list binds as one value."""
    return "SELECT unnest(%s::integer[])"


def id_list_param(ids: list[int]) -> list[int]:
    return list(ids)


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


_INSERT = (
    "INSERT INTO search_document (chapter_id, story_id, position, release_at, body, meta,"
    " body_vector) VALUES (%s, %s, %s, %s, %s,"
    f" setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', %s), 'C') || setweight(to_tsvector('{CONFIG}', %s), 'D'),"
    f" to_tsvector('{CONFIG}', %s))"
    " ON CONFLICT (chapter_id) DO UPDATE SET story_id = EXCLUDED.story_id,"
    " position = EXCLUDED.position, release_at = EXCLUDED.release_at, body = EXCLUDED.body,"
    " meta = EXCLUDED.meta, body_vector = EXCLUDED.body_vector"
)


def write(documents: Iterable) -> None:
    """Add or replace the rows of these chapters."""
    rows = [
        (d.chapter_id, d.story_id, d.position, d.release_at, d.body,
         d.title, d.author, d.tags, d.summary, d.body)
        for d in documents
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_INSERT, rows)


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

"""The search index on PostgreSQL: the table `search_document` (migration 0001), and
`search_story` (0002).

A row per published chapter with two tsvector columns, each under a GIN index: `meta`, the
story's fields weighted by what they are (A title, B authors, C tags, D summary, notes and
series), and `body_vector`, the chapter's text. A field prefix becomes a weight restriction
(`title:` -> `:A` in `meta`) or a choice of column (`text:` -> `body_vector`). Queries are
built with `to_tsquery` over the parsed words only, each quoted as a lexeme, so nothing a
reader types is read as tsquery syntax. `search_story` holds `meta` once per story, for queries
on the stories' fields alone. The `fabula` configuration stems English but keeps stop
words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

import psycopg
from django.db import connection, transaction

from fabula.lib.db import id_array
from fabula.search.backends.base import Matches, Sight, StoryMatch
from fabula.search.query import Query, Term
from fabula.stories.models import released_sql

CONFIG = "fabula"
WEIGHTS = {"title": "A", "author": "B", "tag": "C", "summary": "D"}
# ts_rank's weights come in the order {D, C, B, A}: the title counts most, then authors.
META_RANK = "'{0.2, 0.4, 0.9, 1.0}'"


def _tsquery_text(term: Term, weight: str = "") -> str:
    label = f":{weight}" if weight else ""
    return " <-> ".join(f"'{word}'{label}" for word in term.words)


# Pairs of adjacent lexemes this long or longer are not in `body_pairs` (migration 0004's
# fabula_word_pairs), so a phrase never asks for them.
PAIR_BYTES = 50
# A phrase's pairs as a tsquery ("'laugh behind' & 'behind the'"), by its words; absent when
# the pairs cannot narrow anything (see `phrase_pairs`).
Pairs = dict[tuple[str, ...], str]


def phrase_pairs(lexemes: list[list[str]]) -> str | None:
    """The tsquery of the pairs of adjacent lexemes a chapter must hold to match a phrase, from
    the lexemes of each of its words in order; None when it cannot be told (a word that is not
    exactly one lexeme: its place in a chapter's positions is not one step), or no pair is short
    enough to be indexed. Lexemes are quoted, so none is read as tsquery syntax."""
    if len(lexemes) < 2 or any(len(each) != 1 for each in lexemes):
        return None
    pairs = dict.fromkeys(
        f"{a[0]} {b[0]}"
        for a, b in zip(lexemes, lexemes[1:], strict=False)
        if len(a[0].encode()) + len(b[0].encode()) < PAIR_BYTES
    )
    quoted = ["'" + pair.replace("\\", "\\\\").replace("'", "''") + "'" for pair in pairs]
    return " & ".join(quoted) or None


def _pairs(terms: list[Term]) -> Pairs:
    """The pairs of every phrase among these terms that may look in the chapter's text, in one
    query: each word is made a lexeme as `to_tsquery` makes it."""
    phrases = [t for t in dict.fromkeys(terms) if t.is_phrase and t.field in (None, "text")]
    if not phrases:
        return {}
    words = list(dict.fromkeys(word for term in phrases for word in term.words))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w, tsvector_to_array(to_tsvector('{CONFIG}', w)) FROM unnest(%s::text[]) w",
            [words],
        )
        lexemes = dict(cursor.fetchall())
    found = {term.words: phrase_pairs([lexemes[word] for word in term.words]) for term in phrases}
    return {words: pairs for words, pairs in found.items() if pairs}


def _body_condition(term: Term, pairs: Pairs) -> tuple[str, list]:
    """SQL true when the chapter's text holds the term. A phrase also asks for its pairs in
    `body_pairs` (migration 0004), which the planner reads in their GIN index: the positions
    are then checked in the chapters holding every pair, not in every chapter holding the words.

    The pairs come second: a chapter holding the phrase holds its pairs, and a row is tested
    left to right, so only the chapters that match read their pairs back (as the first test,
    every candidate of a phrase of common words did, and such a phrase took twice as long)."""
    query = f"body_vector @@ to_tsquery('{CONFIG}', %s)"
    if term.words not in pairs:
        return query, [_tsquery_text(term)]
    return f"({query} AND body_pairs @@ %s::tsquery)", [_tsquery_text(term), pairs[term.words]]


def _condition(term: Term, pairs: Pairs) -> tuple[str, list]:
    """SQL true when the row holds the term, and its parameters."""
    query = f"to_tsquery('{CONFIG}', %s)"
    if term.field == "text":
        return _body_condition(term, pairs)
    if term.field:
        return f"meta @@ {query}", [_tsquery_text(term, WEIGHTS[term.field])]
    body, body_params = _body_condition(term, pairs)
    return f"(meta @@ {query} OR {body})", [_tsquery_text(term), *body_params]


def _where(groups: list[list[Term]], pairs: Pairs | None = None) -> tuple[str, list]:
    pairs = {} if pairs is None else pairs
    parts, params = [], []
    for group in groups:
        conditions = [_condition(term, pairs) for term in group]
        parts.append("(" + " OR ".join(sql for sql, _ in conditions) + ")")
        params += [p for _, group_params in conditions for p in group_params]
    return " AND ".join(parts), params


def _rank_query(query: Query) -> str:
    """Every positive term at once, for scoring."""
    return " | ".join(f"({_tsquery_text(term)})" for term in query.positive_terms())


def _released(now: datetime) -> tuple[str, list]:
    return released_sql(), [now]


def match_sql(query: Query, now: datetime) -> tuple[str, list]:
    """SELECT story_id, chapter_id, position, open_to_guests, rating_id of the released chapters
    matching.

    A group at a time, intersected: each group is then one bitmap of the GIN indexes, where a
    single WHERE makes the planner test the later groups row by row, unpacking every matching
    chapter's tsvector (170 ms where this takes 20, for two common words in 21,000 chapters).
    """
    released, released_params = _released(now)
    pairs = _pairs(query.positive_terms())
    parts, params = [], []
    for group in query.groups:
        where, where_params = _where([group], pairs)
        parts.append(
            "SELECT story_id, chapter_id, position, open_to_guests, rating_id"
            f" FROM search_document WHERE {where} AND {released}"
        )
        params += [*where_params, *released_params]
    return " INTERSECT ".join(parts), params


def matches(
    query: Query, now: datetime, keep: str, keep_params: list, scored_limit: int, read_limit: int
) -> Matches:
    """The stories matching, among those `keep` (SQL on `m.story_id`) keeps: scored when no
    more than `scored_limit` chapters match, found among the first `read_limit` matching
    chapters kept (see the backends' contract).

    Matching uses the GIN indexes alone and counts by story in SQL, reading at most
    read_limit + 1 chapters; scoring unpacks each chapter's tsvector, so it is done afterwards,
    for few enough chapters only. A query on the stories' own fields alone reads the story
    table, and answers every released chapter of those stories.
    """
    if query.fields_only:
        return _story_matches(query, now, keep, keep_params, scored_limit, read_limit)
    sql, params = match_sql(query, now)
    with _planned_for_search(), connection.cursor() as cursor:
        # Each story's matching chapters as text, first first: split only when scored.
        cursor.execute(
            "SELECT m.story_id, string_agg(m.chapter_id::text, ',' ORDER BY m.position),"
            f" min(m.position), count(*) FROM (SELECT * FROM ({sql}) m WHERE {keep} LIMIT %s) m"
            " GROUP BY m.story_id",
            [*params, *keep_params, read_limit + 1],
        )
        rows = cursor.fetchall()
        if sum(row[3] for row in rows) > scored_limit:
            return Matches.unscored(
                [
                    StoryMatch(story_id, int(chapters.split(",", 1)[0]), position, count, None)
                    for story_id, chapters, position, count in rows
                ],
                read_limit,
            )
        chapter_ids = [int(pk) for row in rows for pk in row[1].split(",")]
        cursor.execute(
            f"SELECT story_id, min(-(2 * ts_rank({META_RANK}, meta, to_tsquery('{CONFIG}', %s))"
            f" + ts_rank(body_vector, to_tsquery('{CONFIG}', %s))))"
            " FROM search_document WHERE chapter_id = ANY(%s::integer[]) GROUP BY story_id",
            [_rank_query(query), _rank_query(query), id_array(chapter_ids)],
        )
        scores = dict(cursor.fetchall())
    return Matches(
        [
            StoryMatch(story_id, int(chapters.split(",", 1)[0]), position, count, scores[story_id])
            for story_id, chapters, position, count in rows
        ],
        scored=True,
    )


def _story_matches(
    query: Query, now: datetime, keep: str, keep_params: list, scored_limit: int, read_limit: int
) -> Matches:
    where, params = _where(query.groups)
    released, released_params = _released(now)
    with _planned_for_search(), connection.cursor() as cursor:
        # The first read_limit + 1 stories kept that have a released chapter.
        cursor.execute(
            f"SELECT m.story_id FROM search_story m WHERE {where} AND {keep} AND EXISTS"
            f" (SELECT 1 FROM search_document d WHERE d.story_id = m.story_id AND"
            f" {released_sql('d')}) LIMIT %s",
            [*params, *keep_params, *released_params, read_limit + 1],
        )
        story_ids = [row[0] for row in cursor.fetchall()]
        scored = len(story_ids) <= scored_limit
        scores: dict[int, float] = {}
        if scored:
            cursor.execute(
                f"SELECT story_id, -ts_rank({META_RANK}, meta, to_tsquery('{CONFIG}', %s))"
                " FROM search_story WHERE story_id = ANY(%s::integer[])",
                [_rank_query(query), id_array(story_ids)],
            )
            scores = dict(cursor.fetchall())
        cursor.execute(
            "SELECT m.story_id, (array_agg(m.chapter_id ORDER BY m.position))[1], min(m.position),"
            " count(*) FROM search_document m"
            f" WHERE m.story_id = ANY(%s::integer[]) AND {released} GROUP BY m.story_id",
            [id_array(story_ids), *released_params],
        )
        rows = cursor.fetchall()
    found = [
        StoryMatch(story_id, chapter_id, position, chapters, scores.get(story_id))
        for story_id, chapter_id, position, chapters in rows
    ]
    return Matches(found, scored=scored, complete=len(story_ids) <= read_limit)


@contextmanager
def _planned_for_search() -> Iterator[None]:
    """Run the matching queries on bitmaps of the GIN indexes, always.

    For a word found in most chapters the planner prefers reading every row (by a sequential
    scan, or failing that by walking another index), since it does not know that testing a row
    means unpacking its chapter's tsvector: 180 ms, where the GIN bitmap answers in 20 (a
    21,000-chapter archive). Set "local", the settings last to the end of this transaction only.

    A plan that must still read a table whole (a sequential scan, now priced at 10^10) looks
    so costly that PostgreSQL compiles it with JIT first: 140 ms for a search that runs in 2.
    So JIT is off here too.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true),"
            " set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true)"
        )
        yield


def excluded_sql(query: Query) -> tuple[str, list]:
    where, params = _where([query.excluded], _pairs(query.excluded))
    return f"SELECT story_id FROM search_document WHERE {where}", params


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


# The story's fields as one tsvector, weighted by what they are (from a row `d` of arrays).
_META = (
    f"setweight(to_tsvector('{CONFIG}', d.title), 'A')"
    f" || setweight(to_tsvector('{CONFIG}', d.author), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', d.tags), 'C')"
    f" || setweight(to_tsvector('{CONFIG}', d.summary), 'D')"
)

# One statement for a whole batch: the rows come as arrays, and PostgreSQL computes every
# tsvector itself (one round trip, and the text travels once).
_INSERT = (
    "INSERT INTO search_document (chapter_id, story_id, position, release_at, body, meta,"
    " body_vector, body_pairs, open_to_guests, rating_id)"
    " SELECT d.chapter_id, d.story_id, d.position, d.release_at, d.body,"
    f" {_META},"
    " v.body_vector, fabula_word_pairs(v.body_vector), d.open_to_guests, d.rating_id"
    " FROM unnest(%s::integer[], %s::integer[], %s::integer[], %s::timestamptz[], %s::text[],"
    " %s::text[], %s::text[], %s::text[], %s::text[], %s::boolean[], %s::integer[])"
    " AS d(chapter_id, story_id, position, release_at, body, title, author, tags, summary,"
    " open_to_guests, rating_id)"
    # The text's tsvector once, for both columns: to_tsvector is most of the writing's time.
    # OFFSET 0 keeps the planner from pulling the subquery up into the select list, where it
    # copied the to_tsvector call into fabula_word_pairs' argument and parsed every text twice
    # (1.5 ms a chapter more).
    f" CROSS JOIN LATERAL (SELECT to_tsvector('{CONFIG}', d.body) AS body_vector OFFSET 0) v"
    " ON CONFLICT (chapter_id) DO UPDATE SET story_id = EXCLUDED.story_id,"
    " position = EXCLUDED.position, release_at = EXCLUDED.release_at, body = EXCLUDED.body,"
    " meta = EXCLUDED.meta, body_vector = EXCLUDED.body_vector,"
    " body_pairs = EXCLUDED.body_pairs, open_to_guests = EXCLUDED.open_to_guests,"
    " rating_id = EXCLUDED.rating_id"
)


_INSERT_STORY = (
    f"INSERT INTO search_story (story_id, meta) SELECT d.story_id, {_META}"
    " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::integer[])"
    " AS d(title, author, tags, summary, story_id)"
    " ON CONFLICT (story_id) DO UPDATE SET meta = EXCLUDED.meta"
)


def write(documents: Iterable) -> None:
    """Add or replace the rows of these chapters (and of their stories)."""
    documents = list(documents)
    if not documents:
        return
    stories = list({d.story_id: d for d in documents}.values())  # fields alike in every chapter
    columns = (
        "chapter_id",
        "story_id",
        "position",
        "release_at",
        "body",
        "title",
        "author",
        "tags",
        "summary",
    )
    connection.ensure_connection()
    # Bound on the server: the arrays go as they are, not quoted into the statement text by
    # Python (Django's cursors bind on the client).
    sights = [[d.sight.open_to_guests for d in documents], [d.sight.rating_id for d in documents]]
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            _INSERT, [*([getattr(d, column) for d in documents] for column in columns), *sights]
        )
        cursor.execute(
            _INSERT_STORY,
            [[getattr(d, column) for d in stories] for column in columns[5:] + ("story_id",)],
        )


def set_sights(sights: dict[int, Sight]) -> None:
    """Write what a guest may know of these stories on all their rows."""
    if not sights:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_document d SET open_to_guests = s.open_to_guests,"
            " rating_id = s.rating_id FROM unnest(%s::integer[], %s::boolean[], %s::integer[])"
            " AS s(story_id, open_to_guests, rating_id) WHERE d.story_id = s.story_id AND"
            " (d.open_to_guests, d.rating_id) IS DISTINCT FROM (s.open_to_guests, s.rating_id)",
            [
                list(sights),
                [s.open_to_guests for s in sights.values()],
                [s.rating_id for s in sights.values()],
            ],
        )


def delete_stories(story_ids: list[int]) -> None:
    if story_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE story_id = ANY(%s)", [list(story_ids)]
            )
            cursor.execute("DELETE FROM search_story WHERE story_id = ANY(%s)", [list(story_ids)])


def delete_chapters(chapter_ids: list[int]) -> None:
    if chapter_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE chapter_id = ANY(%s)", [list(chapter_ids)]
            )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_document, search_story")


def optimize() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
        cursor.execute("ANALYZE search_story")


def count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_document")
        return cursor.fetchone()[0]

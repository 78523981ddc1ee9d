"""An index of each chapter's adjacent word pairs (PostgreSQL), for phrase searches.

A phrase ("laughed behind the") is found through the GIN index of `body_vector` only as far as
its words: every chapter holding all of them is a candidate, and its tsvector is read back and
checked for the words' positions. When the words are common, that is every chapter (650 ms on
the 5,000-story corpus). `body_pairs` holds each chapter's pairs of adjacent lexemes
("laugh behind", "behind the"), without positions, under a GIN index: the pairs of the phrase
narrow the candidates to the chapters holding each pair somewhere, which a phrase match needs,
before the positions are checked (12 ms for the same phrase).

`fabula_word_pairs` reads the pairs from a tsvector's own positions, so a pair is there exactly
when the phrase operator `<->` would find the two lexemes next to each other. A pair longer than
50 bytes is left out (here and in the query, `backends.postgres.PAIR_BYTES`), which keeps the
vector of a 16,383-position chapter under tsvector's 1 MB.

Filling the column reads every chapter's tsvector: about 2 ms a chapter (40 s for 21,000).
"""

from django.db import migrations

from fabula.lib.db import sql_for_vendor

POSTGRES = [
    """CREATE OR REPLACE FUNCTION fabula_word_pairs(v tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        WITH w AS (SELECT u.lexeme, unnest(u.positions) AS pos FROM unnest(v) u)
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), '')
        FROM w a JOIN w b ON b.pos = a.pos + 1
        WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 50
    $$""",
    "ALTER TABLE search_document ADD COLUMN body_pairs tsvector NOT NULL DEFAULT ''",
    "UPDATE search_document SET body_pairs = fabula_word_pairs(body_vector)",
    "CREATE INDEX search_document_pairs ON search_document USING gin (body_pairs)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_pairs",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS body_pairs",
    "DROP FUNCTION IF EXISTS fabula_word_pairs(tsvector)",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_chapter_vectors_uncompressed")]

    operations = [
        migrations.RunPython(
            sql_for_vendor({"postgresql": POSTGRES}),
            sql_for_vendor({"postgresql": POSTGRES_DROP}),
        ),
    ]

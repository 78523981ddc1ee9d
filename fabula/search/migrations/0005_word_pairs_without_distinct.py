"""`fabula_word_pairs` (migration 0004) without its DISTINCT: array_to_tsvector sorts its
lexemes and drops the repeated ones itself (a tsvector must hold each once), so sorting them
for DISTINCT first was done twice. The same tsvector for every chapter; a quarter less time
(2,100 chapters of the import bench: 3.9-5.0 s -> 2.9-3.3 s), and the pairs are most of what
an import's index stage costs on PostgreSQL.

Unapplied, the function stays as this makes it: it gives what the one before gave.
"""

from django.db import migrations

from fabula.lib.db import sql_for_vendor

POSTGRES = [
    """CREATE OR REPLACE FUNCTION fabula_word_pairs(v tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        WITH w AS (SELECT u.lexeme, unnest(u.positions) AS pos FROM unnest(v) u)
        SELECT coalesce(array_to_tsvector(array_agg(a.lexeme || ' ' || b.lexeme)), '')
        FROM w a JOIN w b ON b.pos = a.pos + 1
        WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 50
    $$""",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0004_chapter_word_pairs")]

    operations = [
        migrations.RunPython(sql_for_vendor({"postgresql": POSTGRES}), migrations.RunPython.noop),
    ]

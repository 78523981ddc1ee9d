"""Chapter tsvectors stored uncompressed (PostgreSQL).

A phrase query ("the old lighthouse") is checked against the positions inside each candidate
chapter's tsvector, which PostgreSQL must first read back from TOAST. Compressed (pglz), that
reading took 190-250 ms for a phrase of common words over 21,000 chapters; uncompressed, 80 ms,
and the table is no larger, since a tsvector hardly compresses. Rows written before this keep
their compression until `fabula reindex` writes them again.
"""

from django.db import migrations

from fabula.lib.db import sql_for_vendor


class Migration(migrations.Migration):
    dependencies = [("search", "0002_story_index")]

    operations = [
        migrations.RunPython(
            sql_for_vendor({"postgresql": [
                "ALTER TABLE search_document ALTER COLUMN body_vector SET STORAGE EXTERNAL",
            ]}),
            sql_for_vendor({"postgresql": [
                "ALTER TABLE search_document ALTER COLUMN body_vector SET STORAGE EXTENDED",
            ]}),
        ),
    ]

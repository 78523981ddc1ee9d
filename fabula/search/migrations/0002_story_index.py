"""The stories' own fields indexed once per story, beside the chapter rows.

A query on fields alone (`title:winter`, `author:"night swept"`) then reads one short row per
story instead of the same fields repeated beside every chapter. SQLite: the FTS5 table
`search_story_fts` (its rowid is the story's id). PostgreSQL: `search_story`, the fields as one
tsvector weighted A-D like `search_document.meta`, under a GIN index.
"""

from django.db import migrations

from fabula.lib.db import sql_for_vendor

SQLITE = [
    """CREATE VIRTUAL TABLE search_story_fts USING fts5(
        title, author, summary, tags,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    """INSERT INTO search_story_fts (rowid, title, author, summary, tags)
       SELECT e.story_id, f.title, f.author, f.summary, f.tags FROM search_fts f
       JOIN search_entry e ON e.chapter_id = f.rowid
       WHERE e.chapter_id = (SELECT min(chapter_id) FROM search_entry WHERE story_id = e.story_id)""",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_story_fts"]

POSTGRES = [
    """CREATE TABLE search_story (
        story_id integer PRIMARY KEY,
        meta tsvector NOT NULL
    )""",
    """INSERT INTO search_story (story_id, meta)
       SELECT DISTINCT ON (story_id) story_id, meta FROM search_document ORDER BY story_id, chapter_id""",
    "CREATE INDEX search_story_meta ON search_story USING gin (meta)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_story"]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            sql_for_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            sql_for_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]

"""The saved-search table, and the search index for the database in use.

SQLite: one FTS5 table, a row per published chapter (the rowid is the chapter's id), with the
story's title, authors, summary and tags repeated beside each chapter's text so that one match
answers a whole query; and `search_entry`, the story and position of each row. PostgreSQL: a plain table with two tsvector columns (the story's fields,
weighted A-D, and the chapter text), each with a GIN index, and a text-search configuration
`fabula` that stems English words but keeps stop words (so a phrase like "the end" is searchable).
"""

from django.conf import settings
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from fabula.lib.db import sql_for_vendor

import fabula.search.models

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, author, summary, tags, body,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    # Which story and place each indexed chapter belongs to, beside the FTS5 table: reading
    # these from FTS5 itself would load each matching row's whole text.
    """CREATE TABLE search_entry (
        chapter_id integer PRIMARY KEY,
        story_id integer NOT NULL,
        position integer NOT NULL,
        release_at integer NULL
    )""",
    "CREATE INDEX search_entry_story ON search_entry (story_id)",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_entry"]

POSTGRES = [
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'fabula_english') THEN
            CREATE TEXT SEARCH DICTIONARY fabula_english (TEMPLATE = snowball, LANGUAGE = english);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fabula') THEN
            CREATE TEXT SEARCH CONFIGURATION fabula (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION fabula ALTER MAPPING
                FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
                WITH fabula_english;
        END IF;
    END $$""",
    """CREATE TABLE search_document (
        chapter_id integer PRIMARY KEY,
        story_id integer NOT NULL,
        position integer NOT NULL,
        release_at timestamp with time zone NULL,
        body text NOT NULL,
        meta tsvector NOT NULL,
        body_vector tsvector NOT NULL
    )""",
    "CREATE INDEX search_document_meta ON search_document USING gin (meta)",
    "CREATE INDEX search_document_body ON search_document USING gin (body_vector)",
    "CREATE INDEX search_document_story ON search_document (story_id)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_document"]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SavedSearch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("query_string", models.CharField(help_text="q, sort and filters, URL-encoded.", max_length=2000)),
                ("feed_token", models.CharField(default=fabula.search.models._feed_token, max_length=40, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="saved_searches", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["name", "pk"]},
        ),
        migrations.RunPython(
            sql_for_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            sql_for_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]

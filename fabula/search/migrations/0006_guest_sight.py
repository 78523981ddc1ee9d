"""What a guest may know of each row's story, kept beside its chapter: `open_to_guests` (the
story is public and not locked by its authors: `permissions.unlocked_stories` of
`Story.objects.public()`) and `rating_id` (whose gate the search asks of the rating table, a
handful of rows).

A guest's search kept its matches to the stories a guest may see by hashing the ids of every
one of them, whatever the query: 50-110 ms of a broad search at 100,000 stories, growing with
the archive. With these columns it tests the rows it reads (docs/decisions.md, "What a guest
may see, kept in the search index").

The rows already indexed are filled from the story table here, with the rule as it stands
today, so an archive needs no `fabula reindex`; from now on `search.indexing` writes them.
"""

from django.db import migrations

from fabula.lib.db import sql_for_vendor

# The rule of `unlocked_stories(Story.objects.public())` on 7 December 2026.
OPEN = "s.status = 'published' AND s.chapter_count > 0 AND NOT s.unrevealed AND NOT s.locked"

SQLITE = [
    "ALTER TABLE search_entry ADD COLUMN open_to_guests bool NOT NULL DEFAULT 0",
    "ALTER TABLE search_entry ADD COLUMN rating_id integer NULL",
    f"""UPDATE search_entry SET
        open_to_guests = coalesce(
            (SELECT {OPEN} FROM stories_story s WHERE s.id = search_entry.story_id), 0),
        rating_id = (SELECT s.rating_id FROM stories_story s WHERE s.id = search_entry.story_id)
    """,
]
SQLITE_DROP = [
    "ALTER TABLE search_entry DROP COLUMN open_to_guests",
    "ALTER TABLE search_entry DROP COLUMN rating_id",
]

POSTGRES = [
    "ALTER TABLE search_document ADD COLUMN open_to_guests boolean NOT NULL DEFAULT false,"
    " ADD COLUMN rating_id integer NULL",
    f"""UPDATE search_document d SET open_to_guests = ({OPEN}), rating_id = s.rating_id
        FROM stories_story s WHERE s.id = d.story_id""",
]
POSTGRES_DROP = [
    "ALTER TABLE search_document DROP COLUMN open_to_guests, DROP COLUMN rating_id",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_word_pairs_without_distinct"),
        ("stories", "0011_storyauthor_pseud_required"),
    ]

    operations = [
        migrations.RunPython(
            sql_for_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            sql_for_vendor({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]

"""What the index keeps of a guest's sight of each story (`indexing.sights`), and migration
search.0006, which filled the rows indexed before it with SQL of its own."""

import importlib
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from fabula.stories.models import Status

TABLE = {"sqlite": "search_entry", "postgresql": "search_document"}


def _rows() -> set[tuple[int, bool, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT story_id, open_to_guests, rating_id FROM {TABLE[connection.vendor]}"
        )
        return {(story_id, bool(open_), rating_id) for story_id, open_, rating_id in cursor}


def test_the_migration_fills_each_row_as_indexing_writes_it(
    author, moderator, archive, write_story, indexed
):
    from fabula.moderation import actions as moderation

    public = write_story(author, "Public")
    members = write_story(author, "Members", rating=archive.members_only)
    locked = write_story(author, "Locked", locked=True)
    draft = write_story(author, "Draft", status=Status.DRAFT)
    later = write_story(author, "Later", release_at=timezone.now() + timedelta(days=2))
    hidden = write_story(author, "Hidden")
    with indexed():
        moderation.story_hide(story=hidden, by=moderator)
    written = _rows()
    opened = {story_id for story_id, open_, _ in written if open_}
    assert opened == {public.pk, members.pk}
    assert {story_id for story_id, _, _ in written} >= {locked.pk, draft.pk, later.pk, hidden.pk}
    assert {rating for story_id, _, rating in written if story_id == members.pk} == {
        archive.members_only.pk
    }

    migration = importlib.import_module("fabula.search.migrations.0006_guest_sight")
    fill = {"sqlite": migration.SQLITE, "postgresql": migration.POSTGRES}[connection.vendor][-1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE[connection.vendor]} SET open_to_guests = false, rating_id = NULL"
        )
        cursor.execute(fill)
    assert _rows() == written

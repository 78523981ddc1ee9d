"""The plain-SQL reads of the pages read most (`selectors.story_with_rating`, `chapter_list`,
`chapter_by_id`, `credit_rows`) give what the ORM's querysets give, rule for rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from fabula.lib.db import Columns
from fabula.lib.numbers import LARGEST_ID
from fabula.stories import actions, selectors
from fabula.stories.models import Chapter, Status, Story
from fabula.stories.permissions import readable_chapters, sees_unreleased, visible_chapters


def _values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


@pytest.fixture
def scheduled_story(make_story, author, coauthor):
    """Two released chapters, a draft, one due in three days and one whose time has come."""
    story = make_story(author, "Timed", coauthors=[coauthor], completed=True)
    actions.chapter_add(story=story, title="Draft", body="<p>d</p>", status=Status.DRAFT)
    actions.chapter_add(
        story=story, title="Soon", body="<p>s</p>", release_at=timezone.now() + timedelta(days=3)
    )
    chapter = actions.chapter_add(story=story, title="Due", body="<p>due</p>")
    Chapter.objects.filter(pk=chapter.pk).update(release_at=timezone.now() - timedelta(hours=1))
    return Story.objects.get(pk=story.pk)


def test_a_story_and_its_rating_read_as_the_orm_reads_them(
    scheduled_story, django_assert_num_queries
):
    expected = Story.objects.select_related("rating").get(pk=scheduled_story.pk)
    with django_assert_num_queries(1):
        story = selectors.story_with_rating(scheduled_story.pk)
        assert story is not None
        assert story.rating.name == expected.rating.name  # no second query
    assert _values(story) == _values(expected)
    assert _values(story.rating) == _values(expected.rating)
    assert story.updated_at is not None and story.updated_at.tzinfo is not None
    assert story.completed is True
    assert not story._state.adding and story._state.db == "default"


@pytest.mark.parametrize("story_id", [0, -1, 999_999, LARGEST_ID, LARGEST_ID + 1])
def test_no_story_for_an_id_nothing_has(db, story_id):
    assert selectors.story_with_rating(story_id) is None


def test_the_chapter_list_is_visible_chapters_without_texts(
    scheduled_story, author, reader, moderator, django_assert_num_queries
):
    for viewer in (AnonymousUser(), reader, author, moderator):
        expected = list(visible_chapters(viewer, scheduled_story))
        released_only = not sees_unreleased(viewer, scheduled_story)
        with django_assert_num_queries(1):
            chapters = selectors.chapter_list(scheduled_story, released_only=released_only)
            assert all(chapter.story is scheduled_story for chapter in chapters)
        assert [c.pk for c in chapters] == [c.pk for c in expected]
        assert [(c.title, c.position, c.release_at) for c in chapters] == [
            (c.title, c.position, c.release_at) for c in expected
        ]
        assert "body" in chapters[0].get_deferred_fields()
    guest = selectors.chapter_list(scheduled_story, released_only=True)
    assert [c.title for c in guest] == ["Chapter 1", "Chapter 2", "Due"]
    draft = scheduled_story.chapters.get(title="Draft")
    assert (
        selectors.chapter_list(scheduled_story, released_only=True, position=draft.position) == []
    )
    assert selectors.chapter_list(
        scheduled_story, released_only=False, position=draft.position
    ) == [draft]


def test_readable_chapters_are_the_visible_ones(scheduled_story, author, reader):
    for viewer in (AnonymousUser(), reader, author):
        assert readable_chapters(viewer, scheduled_story, "text") == list(
            visible_chapters(viewer, scheduled_story)
        )


@pytest.mark.parametrize("detail", ["entry", "text"])
def test_contents_and_whole_chapters_come_with_their_writers(
    scheduled_story, author, detail, django_assert_num_queries
):
    expected = list(visible_chapters(author, scheduled_story).select_related("author"))
    with django_assert_num_queries(1):
        chapters = selectors.chapter_list(scheduled_story, released_only=False, detail=detail)
        assert [c.author.pen_name for c in chapters] == [c.author.pen_name for c in expected]
    assert chapters[0].get_deferred_fields() == ({"body"} if detail == "entry" else set())
    assert [_values(c) for c in chapters] == [_values(c) for c in expected]  # loads the body


def test_a_chapter_by_id_reads_as_the_orm_reads_it(scheduled_story):
    chapter = scheduled_story.chapters.get(title="Due")
    assert _values(selectors.chapter_by_id(chapter.pk)) == _values(chapter)
    assert selectors.chapter_by_id(chapter.pk + 1000) is None


def test_a_header_read_in_plain_sql_holds_what_the_story_holds(
    scheduled_story, archive, author, coauthor
):
    series = actions.series_create(owner=author, title="Both Ways")
    actions.series_add(series=series, story=scheduled_story)
    header = selectors.story_header(scheduled_story)
    assert [a.pk for a in header.authors] == [author.pk, coauthor.pk]
    assert [p.pk for p in header.bylines] == [
        c.pseud_id for c in scheduled_story.credits.order_by("position")
    ]
    assert header.categories == [archive.fandom] and header.characters == [archive.jim]
    assert header.categories[0].kind.role == "category"  # the kind came with the tag
    assert [(line.kind.slug, line.tags) for line in header.class_lines] == [
        ("genres", [archive.angst]),
        ("warnings", []),
    ]
    assert header.series == [series]


def test_credits_come_in_credit_order(make_story, author, coauthor, other_author):
    story = make_story(author, "Three Hands", coauthors=[coauthor, other_author])
    alone = make_story(other_author, "One Hand")
    rows = selectors.credit_rows([alone.pk, story.pk])
    assert [(row[0], row[1]) for row in rows] == sorted(
        [(story.pk, author.pk), (story.pk, coauthor.pk), (story.pk, other_author.pk)]
        + [(alone.pk, other_author.pk)],
        key=lambda pair: (pair[0], [author.pk, coauthor.pk, other_author.pk].index(pair[1])),
    )
    assert {row[3] for row in rows} == {"Night Swept", "Midnight Owl", "Winter Fox"}


def test_columns_refuse_a_name_that_is_not_a_column():
    with pytest.raises(ValueError, match="not all of"):
        Columns(Story, "s", ("title", "credits"))


def test_an_instance_made_from_columns_behaves_as_the_orms(scheduled_story):
    columns = Columns(Chapter, "c", ("id", "story_id", "position", "title", "release_at"))
    sql = f"SELECT {columns.sql} FROM stories_chapter c WHERE c.story_id = %s ORDER BY c.position"
    made = columns.read(sql, [scheduled_story.pk])
    expected = list(
        Chapter.objects.filter(story=scheduled_story)
        .order_by("position")
        .only("id", "story_id", "position", "title", "release_at")
    )
    first = made[0]
    assert first.get_deferred_fields() == expected[0].get_deferred_fields()
    assert "body" in first.get_deferred_fields()
    # Every field read, the deferred ones then and there, as the ORM's instances read them.
    assert [_values(chapter) for chapter in made] == [_values(chapter) for chapter in expected]
    assert first._state.db == "default" and not first._state.adding
    assert first.story == scheduled_story  # a relation follows its key
    first.title = "Renamed"
    first.save(update_fields=["title"])  # a saved row: an UPDATE, not a second row
    assert Chapter.objects.get(pk=first.pk).title == "Renamed"


def test_columns_send_the_init_signals_to_those_waiting_for_them(scheduled_story):
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.title)

    post_init.connect(receiver, sender=Chapter)
    try:
        columns = Columns(Chapter, "c", ("id", "title"))
        made = columns.read(
            f"SELECT {columns.sql} FROM stories_chapter c WHERE c.story_id = %s ORDER BY c.id",
            [scheduled_story.pk],
        )
    finally:
        post_init.disconnect(receiver, sender=Chapter)
    assert seen == [chapter.title for chapter in made] and len(made) == 5

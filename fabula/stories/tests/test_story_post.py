"""`story_post`, the "Post a story" workflow, called by name."""

from __future__ import annotations

import pytest

from fabula.lib.refusals import ActionRefused
from fabula.stories import actions
from fabula.stories.models import CoauthorInvite, Series, Status, Story
from fabula.taxonomy.models import Tag

pytestmark = pytest.mark.django_db


def _post(by, archive, **extra) -> Story:
    return actions.story_post(
        by=by,
        title="  A   First Story ",
        rating=archive.general,
        tags=[archive.fandom],
        chapter_title="Opening",
        body="<p>It began on a Tuesday.</p>",
        **extra,
    )


def test_a_story_saved_as_a_draft(archive, author):
    story = _post(author, archive, freeform=["Slow Burn"])
    assert (story.title, story.status) == ("A First Story", Status.DRAFT)
    chapter = story.chapters.get()
    assert (chapter.title, chapter.status, chapter.author) == ("Opening", Status.DRAFT, author)
    assert {t.name for t in story.tags.all()} == {"The Office", "Slow Burn"}


def test_a_story_published_at_once(archive, author, settings):
    author.trusted = True
    author.save()
    story = _post(author, archive, publish=True)
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.chapter_count == 1


def test_co_authors_are_invited_and_the_series_takes_it(archive, author, coauthor):
    series = actions.series_create(owner=author, title="Saga")
    story = _post(author, archive, coauthors=[coauthor], series=series)
    assert CoauthorInvite.objects.filter(story=story, user=coauthor).exists()
    assert series.entries.get().story == story


def test_a_closed_series_refuses_and_nothing_is_left(archive, author, other_author):
    series = actions.series_create(
        owner=other_author, title="Theirs", openness=Series.Openness.CLOSED
    )
    with pytest.raises(ActionRefused, match="closed"):
        _post(author, archive, series=series, freeform=["Never Made"])
    assert not Story.objects.exists()
    assert not Tag.objects.filter(name="Never Made").exists()


def test_an_empty_chapter_is_refused(archive, author):
    with pytest.raises(ActionRefused):
        actions.story_post(
            by=author, title="T", rating=archive.general, chapter_title="", body="   "
        )
    assert not Story.objects.exists()

"""Managing chapters: add, edit, delete, reorder, schedule, and the worker releasing them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fabula.stories.models import Chapter, Status
from fabula.stories.permissions import listed_stories
from fabula.test import chapter_url, set_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make_story, author):
    return make_story(author, "Casino Night", chapters=2)


def chapter_data(**overrides):
    data = {
        "title": "Third",
        "text_format": "html",
        "body": "<p>One two three.</p>",
        "notes": "",
        "end_notes": "",
    }
    data.update(overrides)
    return data


def test_untrusted_author_new_chapter_waits(author_client, story, client):
    author_client.post(reverse("stories:chapter-new", args=[story.pk]), chapter_data())
    chapter = story.chapters.get(position=3)
    assert chapter.status == Status.PENDING and chapter.author == story.credits.get().user
    story.refresh_from_db()
    assert story.chapter_count == 2  # counts only what readers see
    author_client.logout()
    assert client.get(chapter_url(story.pk, 3)).status_code == 404


def test_trusted_author_new_chapter_is_published_and_counted(author_client, author, story):
    author.trusted = True
    author.save()
    author_client.post(reverse("stories:chapter-new", args=[story.pk]), chapter_data())
    story.refresh_from_db()
    assert story.chapter_count == 3 and story.word_count == 12 + 12 + 3


def test_edit_recounts_words_unicode_aware(author_client, story):
    chapter = story.chapters.get(position=1)
    author_client.post(
        reverse("stories:chapter-edit", args=[story.pk, chapter.pk]),
        chapter_data(title="Renamed", body="<p>Ça va, don't well-known 東京</p>"),
    )
    chapter.refresh_from_db()
    story.refresh_from_db()
    assert chapter.title == "Renamed" and chapter.word_count == 6
    assert story.word_count == 6 + 12


def test_edit_with_bad_input_keeps_the_old_chapter(author_client, story):
    chapter = story.chapters.get(position=1)
    old = chapter.body
    response = author_client.post(
        reverse("stories:chapter-edit", args=[story.pk, chapter.pk]), chapter_data(body="  ")
    )
    assert "A chapter needs some text" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.body == old


def test_delete_moves_the_rest_up(author_client, make_story, author):
    story = make_story(author, chapters=3)
    first = story.chapters.get(position=1)
    author_client.post(reverse("stories:chapter-delete", args=[story.pk, first.pk]))
    assert list(story.chapters.order_by("position").values_list("title", "position")) == [
        ("Chapter 2", 1),
        ("Chapter 3", 2),
    ]
    story.refresh_from_db()
    assert story.chapter_count == 2


def test_last_chapter_cannot_be_deleted(author_client, make_story, author):
    story = make_story(author, chapters=1)
    only = story.chapters.get()
    author_client.post(reverse("stories:chapter-delete", args=[story.pk, only.pk]))
    assert story.chapters.count() == 1


def test_reorder(author_client, make_story, author):
    story = make_story(author, chapters=3)
    ids = {c.position: c.pk for c in story.chapters.all()}
    response = author_client.post(
        reverse("stories:reorder", args=[story.pk]),
        {
            f"chapter_{ids[1]}": 3,
            f"chapter_{ids[2]}": 1,
            f"chapter_{ids[3]}": 2,
        },
    )
    assert response.status_code == 302
    assert list(story.chapters.order_by("position").values_list("title", flat=True)) == [
        "Chapter 2",
        "Chapter 3",
        "Chapter 1",
    ]


def test_reorder_refuses_duplicates(author_client, make_story, author):
    story = make_story(author, chapters=2)
    ids = [c.pk for c in story.chapters.all()]
    response = author_client.post(
        reverse("stories:reorder", args=[story.pk]),
        {f"chapter_{ids[0]}": 1, f"chapter_{ids[1]}": 1},
    )
    assert "different place" in response.content.decode()
    assert list(story.chapters.order_by("position").values_list("pk", flat=True)) == ids


def test_schedule_then_worker_releases(author_client, author, story, client):
    author.trusted = True
    author.save()
    later = timezone.now() + timedelta(hours=2)
    author_client.post(
        reverse("stories:chapter-new", args=[story.pk]),
        chapter_data(release_at=later.strftime("%Y-%m-%dT%H:%M")),
    )
    third = story.chapters.get(position=3)
    assert third.release_at is not None
    story.refresh_from_db()
    assert story.chapter_count == 2
    author_client.logout()
    assert client.get(chapter_url(story.pk, 3)).status_code == 404
    # Time passes.
    Chapter.objects.filter(pk=third.pk).update(release_at=timezone.now() - timedelta(seconds=1))
    call_command("worker", "--once")
    story.refresh_from_db()
    third.refresh_from_db()
    assert story.chapter_count == 3 and third.release_at is None
    assert client.get(chapter_url(story.pk, 3)).status_code == 200


def test_schedule_in_the_past_is_refused(author_client, story):
    chapter = story.chapters.get(position=2)
    author_client.post(
        reverse("stories:chapter-schedule", args=[story.pk, chapter.pk]),
        {"release_at": "2001-01-01T10:00"},
    )
    chapter.refresh_from_db()
    assert chapter.release_at is None


def test_scheduling_the_only_chapter_keeps_the_story_out_of_lists(
    author_client, make_story, author, client
):
    story = make_story(author, chapters=1)
    chapter = story.chapters.get()
    later = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    author_client.post(
        reverse("stories:chapter-schedule", args=[story.pk, chapter.pk]), {"release_at": later}
    )
    assert not listed_stories(AnonymousUser()).filter(pk=story.pk).exists()
    author_client.logout()
    assert client.get(reverse("story", args=[story.pk])).status_code == 404


def test_story_edit_and_delete(author_client, story, archive):
    response = author_client.post(
        reverse("stories:edit", args=[story.pk]),
        {
            "title": "Casino Night, revised",
            "summary": "New",
            "notes": "",
            "rating": archive.teen.pk,
            "tags_categories": [archive.other_fandom.pk],
            "completed": "on",
        },
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Casino Night, revised" and story.completed
    assert story.rating == archive.teen
    assert [t.name for t in story.tags.all()] == ["Parks and Recreation"]
    author_client.post(reverse("stories:delete", args=[story.pk]))
    assert not type(story).objects.filter(pk=story.pk).exists()


def test_submissions_closed(author_client, archive):
    set_site(submissions_open=False)
    assert author_client.get(reverse("stories:new")).status_code == 403

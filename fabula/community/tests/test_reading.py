"""Reading history, the place in a chapter, marked for later, continue reading."""

import pytest
from django.urls import reverse

from fabula.community import actions
from fabula.community.models import Reading
from fabula.lib.refusals import ActionRefused
from fabula.test import chapter_url


def test_the_position_is_saved_clamped_and_one_row_per_story(make_story, author, reader):
    story = make_story(author, chapters=3)
    first, second = story.chapters.all()[:2]
    actions.reading_save_position(user=reader, chapter=first, position=0.4)
    actions.reading_save_position(user=reader, chapter=second, position=7)
    reading = Reading.objects.get()
    assert reading.chapter == second and reading.position == 1.0
    with pytest.raises(ActionRefused):
        actions.reading_save_position(user=reader, chapter=first, position="half")


def test_the_endpoint(client, make_story, author, reader, other_author):
    story = make_story(author, chapters=2)
    chapter = story.chapters.get(position=2)
    url = reverse("community:reading-position", args=[chapter.pk])
    assert client.post(url, {"position": "0.5"}).status_code == 403
    client.force_login(reader)
    assert client.post(url, {"position": "0.5"}).status_code == 204
    assert client.post(url, {"position": "nan"}).status_code == 400
    assert (
        client.post(
            reverse("community:reading-position", args=[99999]), {"position": "0.5"}
        ).status_code
        == 404
    )
    draft = make_story(other_author, "Draft", status="draft")
    hidden_chapter = draft.chapters.first()
    assert (
        client.post(
            reverse("community:reading-position", args=[hidden_chapter.pk]), {"position": "0.5"}
        ).status_code
        == 404
    )
    assert Reading.objects.get().position == 0.5
    page = client.get(chapter_url(story.pk, 2)).content.decode()
    assert 'data-position="0.5000"' in page and "reading-position.js" in page
    assert "data-position" not in client.get(chapter_url(story.pk, 1)).content.decode()


def test_continue_reading_on_the_home_page(client, make_story, author, reader):
    story = make_story(author, "Half Read", chapters=2)
    actions.reading_save_position(user=reader, chapter=story.chapters.get(position=2), position=0.5)
    client.force_login(reader)
    page = client.get(reverse("home")).content.decode()
    assert "Continue reading" in page and chapter_url(story.pk, 2) in page
    assert "50% read" in page


def test_history_off_and_clear(client, make_story, author, reader):
    story = make_story(author, "Kept")
    later = make_story(author, "Later")
    chapter = story.chapters.first()
    actions.reading_save_position(user=reader, chapter=chapter, position=0.2)
    actions.reading_mark_for_later(user=reader, story=later)
    client.force_login(reader)
    page = client.get(reverse("community:history")).content.decode()
    assert "Kept" in page and "For later" in page
    client.post(reverse("community:history-clear"))
    assert list(Reading.objects.values_list("story__title", flat=True)) == ["Later"]
    client.post(reverse("community:history-switch"), {"keep": "0"})
    assert actions.reading_save_position(user=reader, chapter=chapter, position=0.3) is None
    assert not Reading.objects.filter(story=story).exists()
    client.post(reverse("community:history-switch"), {"keep": "1"})
    assert actions.reading_save_position(user=reader, chapter=chapter, position=0.3) is not None


def test_mark_for_later_button(client, make_story, author, reader):
    story = make_story(author)
    client.force_login(reader)
    client.post(reverse("community:later", args=[story.pk]))
    assert Reading.objects.get().marked_for_later
    assert "Unmark for later" in client.get(reverse("story", args=[story.pk])).content.decode()
    client.post(reverse("community:later", args=[story.pk]), {"stop": "1"})
    assert not Reading.objects.get().marked_for_later

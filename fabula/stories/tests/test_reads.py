"""Read counts on reader pages: once per reader, story and day, buffered until a flush."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fabula.conf.models import site_settings
from fabula.stories.models import ReadMark, Story
from fabula.stories.reads import flush_reads
from fabula.test import chapter_url


def reads_of(story) -> int:
    return Story.objects.get(pk=story.pk).read_count


def guest(address: str) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT="TestBrowser/1.0")


def test_a_reader_counts_once_a_day_however_many_chapters(client, make_story, author, reader):
    story = make_story(author, chapters=3)
    client.force_login(reader)
    for position in (1, 2, 3, 1):
        assert client.get(chapter_url(story.pk, position)).status_code == 200
    client.get(reverse("story-full", args=[story.pk]))
    assert reads_of(story) == 0  # buffered, not written per view
    assert flush_reads() == 1
    assert reads_of(story) == 1
    # Reading again the same day, after a flush, still does not count.
    client.get(chapter_url(story.pk, 2))
    assert flush_reads() == 0 and reads_of(story) == 1
    assert ReadMark.objects.filter(story=story, reader=f"u{reader.pk}").count() == 1


def test_each_reader_counts(make_story, author, reader, other_author):
    story = make_story(author)
    for user in (reader, other_author):
        member = Client()
        member.force_login(user)
        member.get(chapter_url(story.pk, 1))
    guest("10.0.0.1").get(chapter_url(story.pk, 1))
    guest("10.0.0.2").get(reverse("story-full", args=[story.pk]))
    flush_reads()
    assert reads_of(story) == 4


def test_a_cached_page_still_counts_the_read(make_story, author, django_assert_num_queries):
    story = make_story(author)
    url = chapter_url(story.pk, 1)
    site_settings()
    first = guest("10.0.0.1").get(url)
    with django_assert_num_queries(0):  # served from the guest page cache
        second = guest("10.0.0.2").get(url)
    assert second.content == first.content and b"Text of chapter 1" in second.content
    whole = reverse("story-full", args=[story.pk])
    guest("10.0.0.3").get(whole)
    with django_assert_num_queries(0):
        assert b"Text of chapter 2" in guest("10.0.0.4").get(whole).content
    flush_reads()
    assert reads_of(story) == 4


def test_the_index_gates_and_errors_do_not_count(client, make_story, author, archive):
    story = make_story(author)
    adult = make_story(author, rating=archive.adult)
    members = make_story(author, rating=archive.members_only)
    client.get(reverse("story", args=[story.pk]))
    client.get(chapter_url(story.pk, 9))  # 404
    client.get(chapter_url(adult.pk, 1))  # age gate
    client.get(chapter_url(members.pk, 1))  # members only
    client.get(reverse("story-full", args=[adult.pk]))
    flush_reads()
    assert [reads_of(s) for s in (story, adult, members)] == [0, 0, 0]

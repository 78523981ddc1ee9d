"""Drafts, pending and hidden stories, unreleased chapters and members-only stories never show
through any list, page or count to readers who may not see them; their authors and moderators
do see them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fabula.stories import actions
from fabula.stories.models import Status, Story
from fabula.test import chapter_url, story_list_urls

HIDDEN_TITLES = ["Secret Draft", "Awaiting Review", "Hidden Away", "Only Scheduled"]


@dataclass
class Shelf:
    public: Story
    partial: Story
    members: Story
    unseen: list[Story]
    series: object


@pytest.fixture
def shelf(make_story, author, coauthor, other_author, archive) -> Shelf:
    public = make_story(author, "Open Book", coauthors=[coauthor])
    partial = make_story(author, "Partly Written", chapters=1, words_per_chapter=10)
    actions.chapter_add(
        story=partial,
        title="Unfinished Chapter",
        body="<p>draft words here</p>",
        status=Status.DRAFT,
    )
    actions.chapter_add(
        story=partial,
        title="Future Chapter",
        body="<p>later words here</p>",
        release_at=timezone.now() + timedelta(days=3),
    )
    members = make_story(author, "Members Story", rating=archive.members_only)
    unseen = [
        make_story(author, "Secret Draft", status=Status.DRAFT),
        make_story(author, "Awaiting Review", status=Status.PENDING),
        make_story(author, "Hidden Away", status=Status.HIDDEN),
        make_story(other_author, "Only Scheduled", chapters=0),
    ]
    actions.chapter_add(
        story=unseen[3],
        title="Soon",
        body="<p>soon</p>",
        release_at=timezone.now() + timedelta(days=1),
    )
    series = actions.series_create(owner=author, title="Everything Series")
    for story in [public, members, *unseen]:
        actions.series_add(series=series, story=story)
    return Shelf(public, partial, members, unseen, series)


def as_viewer(viewer) -> Client:
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    return client


def count_after(page: str, label: str) -> int:
    match = re.search(re.escape(label) + r'</a> <span class="count">(\d+)</span>', page)
    assert match, label
    return int(match.group(1))


@pytest.mark.parametrize("who", ["guest", "reader"])
def test_unpublished_stories_appear_in_no_list(who, shelf, archive, author, other_author, reader):
    client = as_viewer(reader if who == "reader" else None)
    # Lists where a member finds the members-only story (it has the default tags).
    with_members_story = {
        reverse("home"),
        reverse("browse"),
        reverse("browse") + "?sort=words",
        reverse("recent"),
        reverse("titles"),
        reverse("browse-tag", args=["categories", archive.fandom.pk]),
        reverse("browse-tag", args=["characters", archive.jim.pk]),
        reverse("browse-tag", args=["genres", archive.angst.pk]),
        reverse("author", args=[author.pk]),
        reverse("series", args=[shelf.series.pk]),
    }
    for url in story_list_urls(archive, authors=[author, other_author], series=shelf.series):
        page = client.get(url).content.decode()
        for title in HIDDEN_TITLES:
            assert title not in page, (url, title)
        expected = who == "reader" and url in with_members_story
        assert ("Members Story" in page) == expected, url


@pytest.mark.parametrize("who", ["guest", "reader"])
def test_counts_leave_out_what_the_reader_may_not_see(who, shelf, archive, reader, other_author):
    client = as_viewer(reader if who == "reader" else None)
    visible = 3 if who == "reader" else 2  # Open Book, Partly Written (+ Members Story)
    categories = client.get(reverse("browse-kind", args=["categories"])).content.decode()
    assert count_after(categories, "The Office") == visible
    characters = client.get(reverse("browse-kind", args=["characters"])).content.decode()
    assert count_after(characters, "Jim") == visible
    ratings = client.get(reverse("ratings")).content.decode()
    assert count_after(ratings, "G") == 2
    assert count_after(ratings, "R") == (1 if who == "reader" else 0)
    authors = client.get(reverse("authors")).content.decode()
    assert count_after(authors, "Night Swept") == visible
    assert count_after(authors, "Midnight Owl") == 1
    assert "Winter Fox" not in authors  # only an unreleased story
    series = client.get(reverse("series-list")).content.decode()
    assert f"{visible - 1} stor" in series
    browse = client.get(reverse("browse")).content.decode()
    assert f"{visible} stories" in browse


@pytest.mark.parametrize("who", ["guest", "reader", "other"])
def test_unpublished_story_pages_are_404(who, shelf, reader, other_author):
    client = as_viewer({"guest": None, "reader": reader, "other": other_author}[who])
    for story in shelf.unseen[:3]:
        for url in [
            reverse("story", args=[story.pk]),
            reverse("story-full", args=[story.pk]),
            chapter_url(story.pk, 1),
        ]:
            assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["author", "coauthor", "moderator"])
def test_authors_and_moderators_open_unpublished_stories(
    who, shelf, author, coauthor, moderator, make_story
):
    client = as_viewer({"author": author, "coauthor": coauthor, "moderator": moderator}[who])
    draft = shelf.unseen[0]
    if who == "coauthor":
        draft = make_story(author, "Shared Draft", coauthors=[coauthor], status=Status.DRAFT)
    page = client.get(reverse("story", args=[draft.pk])).content.decode()
    assert draft.title in page and "not public" in page
    assert client.get(chapter_url(draft.pk, 1)).status_code == 200
    assert client.get(reverse("story-full", args=[draft.pk])).status_code == 200


def test_unreleased_chapters_are_hidden_from_readers(client, shelf):
    story = shelf.partial
    index = client.get(reverse("story", args=[story.pk])).content.decode()
    assert "Unfinished Chapter" not in index and "Future Chapter" not in index
    assert "<dt>Chapters</dt><dd>1/?</dd>" in index and "<dt>Words</dt><dd>10</dd>" in index
    assert client.get(chapter_url(story.pk, 2)).status_code == 404
    assert client.get(chapter_url(story.pk, 3)).status_code == 404
    first = client.get(chapter_url(story.pk, 1)).content.decode()
    assert "Unfinished Chapter" not in first and "Future Chapter" not in first
    assert 'rel="next"' not in first
    whole = client.get(reverse("story-full", args=[story.pk])).content.decode()
    assert "draft words" not in whole and "later words" not in whole
    card = client.get(reverse("browse")).content.decode().split("Partly Written")[1]
    assert "<dt>Chapters</dt> <dd>1</dd>" in card


def test_the_author_sees_unreleased_chapters_marked(client, shelf, author):
    client.force_login(author)
    story = shelf.partial
    index = client.get(reverse("story", args=[story.pk])).content.decode()
    assert "Unfinished Chapter" in index and "Future Chapter" in index
    assert "Scheduled" in index and ">Draft<" in index
    page = client.get(chapter_url(story.pk, 2)).content.decode()
    assert "draft words here" in page and "Not public" in page


@pytest.mark.parametrize(
    "who,sees",
    [
        ("guest", False),
        ("reader", False),
        ("other", False),
        ("author", True),
        ("moderator", True),
    ],
)
def test_author_page_shows_unpublished_work_only_to_the_author_and_moderators(
    who, sees, shelf, author, reader, other_author, moderator
):
    client = as_viewer(
        {
            "guest": None,
            "reader": reader,
            "other": other_author,
            "author": author,
            "moderator": moderator,
        }[who]
    )
    page = client.get(reverse("author", args=[author.pk])).content.decode()
    assert "Open Book" in page
    for title in ["Secret Draft", "Awaiting Review", "Hidden Away"]:
        assert (title in page) == sees, title
    assert ("Not yet public" in page or "not yet public" in page) == sees


def test_series_shows_unpublished_entries_to_their_author(client, shelf, author):
    client.force_login(author)
    page = client.get(reverse("series", args=[shelf.series.pk])).content.decode()
    assert "Secret Draft" in page and "Open Book" in page
    assert "Only Scheduled" not in page  # another author's work


def test_members_only_story_is_absent_for_guests_and_listed_for_members(client, shelf, reader):
    title_list = reverse("titles-letter", args=["m"])
    assert "Members Story" not in client.get(title_list).content.decode()
    assert client.get(reverse("story", args=[shelf.members.pk])).status_code == 403
    client.force_login(reader)
    assert "Members Story" in client.get(title_list).content.decode()

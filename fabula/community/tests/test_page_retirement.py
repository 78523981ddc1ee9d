"""What a write retires from the guest page cache (issue 18, item 2): a kudos, a review or a
favourite changes its own story's pages at once and leaves every other cached page alone; a
change of the story itself (its title, say) retires the archive's pages as before.

A page still served from the cache is told apart from a rebuilt one by a title changed in the
database behind the cache's back: the old title means the page was kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.community import actions as community
from fabula.stories import actions
from fabula.stories.models import Story
from fabula.test import chapter_url


@pytest.fixture
def pair(settings, make_story, author):
    settings.PAGE_CACHE_SECONDS = 60
    return make_story(author, "Lamp Story"), make_story(author, "Other Story")


def pages_of(story: Story) -> list[str]:
    return [
        reverse("story", args=[story.pk]),
        chapter_url(story, 1),
        reverse("story-full", args=[story.pk]),
    ]


def retitle_behind_the_cache(story: Story, title: str) -> None:
    Story.objects.filter(pk=story.pk).update(title=title)  # no action: nothing is retired


def shows(client, path: str, text: str) -> bool:
    return text in client.get(path).content.decode()


@pytest.mark.parametrize("write", ["kudos", "review", "favourite"])
def test_a_counter_write_retires_only_its_own_storys_pages(client, pair, reader, write):
    lamp, other = pair
    every = [*pages_of(lamp), *pages_of(other), reverse("home"), reverse("browse")]
    for path in every:
        client.get(path)  # each page kept in the cache
    retitle_behind_the_cache(lamp, "Lamp Renamed")
    retitle_behind_the_cache(other, "Other Renamed")

    if write == "kudos":
        community.kudos_give(story=lamp, user=reader)
    elif write == "review":
        community.review_post(story=lamp, user=reader, body="Lovely lamp.")
    else:
        community.favourite_add(user=reader, target=lamp)

    for path in pages_of(lamp):
        assert shows(client, path, "Lamp Renamed"), path  # rebuilt
    for path in pages_of(other):
        assert shows(client, path, "Other Story"), path  # still the kept page
    assert shows(client, reverse("browse"), "Lamp Story")  # lists catch up with the cache's time


def test_a_review_is_on_its_storys_pages_for_the_next_guest(client, pair, reader):
    lamp, _ = pair
    page = reverse("story", args=[lamp.pk])
    count_before = client.get(page).content.decode()
    community.review_post(story=lamp, user=reader, body="A first review.")
    assert client.get(page).content.decode() != count_before


def test_a_change_of_the_story_itself_retires_every_page(client, pair, author):
    lamp, other = pair
    for path in [*pages_of(other), reverse("browse")]:
        client.get(path)
    retitle_behind_the_cache(other, "Other Renamed")
    actions.story_update(story=lamp, title="Lamp Retitled", rating=lamp.rating, by=author)
    assert shows(client, reverse("browse"), "Lamp Retitled")
    for path in pages_of(other):
        assert shows(client, path, "Other Renamed"), path

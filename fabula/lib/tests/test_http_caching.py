"""What a browser or a proxy in front may keep (issue 18, item 4): a guest's page is public for
shared caches for as long as the server's own cache keeps it, carries an ETag and is answered
304 when the copy held is still the page; a member's page, a gate and an error are private."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.community.actions import kudos_give
from fabula.test import chapter_url


@pytest.fixture
def story(settings, make_story, author):
    settings.PAGE_CACHE_SECONDS = 60
    return make_story(author, "Harbour Lights")


def directives(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("page", ["story", "chapter", "home", "browse"])
def test_a_guests_page_is_public_with_an_etag_and_varies_on_the_cookie(client, story, page):
    path = {
        "story": reverse("story", args=[story.pk]),
        "chapter": chapter_url(story, 1),
        "home": reverse("home"),
        "browse": reverse("browse"),
    }[page]
    first = client.get(path)
    assert {"public", "max-age=0", "s-maxage=60"} <= directives(first)
    assert "Cookie" in first.headers["Vary"]
    assert first.headers["ETag"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_changed_page_is_sent_again_not_304(client, story, reader):
    path = reverse("story", args=[story.pk])
    etag = client.get(path).headers["ETag"]
    kudos_give(story=story, user=reader)
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again.headers["ETag"] != etag


def test_a_members_page_is_private(client, story, reader):
    client.force_login(reader)
    page = client.get(reverse("story", args=[story.pk]))
    assert {"private", "no-cache"} <= directives(page) and "public" not in directives(page)
    assert "Cookie" in page.headers["Vary"]


def test_a_gate_is_private(client, make_story, author, archive, settings):
    settings.PAGE_CACHE_SECONDS = 60
    adult = make_story(author, "Midnight", rating=archive.adult)
    page = client.get(chapter_url(adult, 1))
    assert page.status_code in (200, 403)
    assert "public" not in directives(page) and "private" in directives(page)

"""The authors list and an author's profile page."""

from __future__ import annotations

from datetime import UTC, datetime

from django.urls import reverse

from fabula.stories import actions
from fabula.stories.models import Status
from fabula.test import quick_user, set_site


def test_authors_list_members_with_stories_and_their_counts(
    client, make_story, author, coauthor, other_author, reader
):
    make_story(author, "One")
    make_story(author, "Two", coauthors=[coauthor])
    make_story(other_author, "Unfinished", status=Status.DRAFT)
    page = client.get(reverse("authors")).content.decode()
    assert page.index("Midnight Owl") < page.index("Night Swept")  # by pen name
    assert 'Night Swept</a> <span class="count">2</span>' in page
    assert 'Midnight Owl</a> <span class="count">1</span>' in page
    assert "Winter Fox" not in page and "Reader" not in page.split('id="main"')[1]


def test_authors_list_paginates(client, make_story):
    set_site(items_per_page=2)
    for name in ["Ann", "Bob", "Cat"]:
        make_story(quick_user(name), f"Story by {name}", chapters=1)
    first = client.get(reverse("authors")).content.decode()
    assert ">Ann<" in first and ">Bob<" in first and ">Cat<" not in first
    assert ">Cat<" in client.get(reverse("authors") + "?page=2").content.decode()
    assert client.get(reverse("authors") + "?page=3").status_code == 404


def test_author_profile(client, make_story, author, coauthor, other_author):
    author.bio = "<p>Writes <em>late</em> at night.</p>"
    author.website = "https://nightswept.example.org/"
    author.date_joined = datetime(2006, 3, 24, 12, tzinfo=UTC)
    author.save()
    make_story(author, "My Own Story")
    make_story(other_author, "Shared Work", coauthors=[author])
    make_story(other_author, "Not Mine")
    actions.series_create(owner=author, title="My Series")
    page = client.get(reverse("author", args=[author.pk])).content.decode()
    for text in [
        "<h1>Night Swept</h1>",
        "Writes <em>late</em> at night.",
        'href="https://nightswept.example.org/"',
        "Member since March 24, 2006",
        "My Own Story",
        "Shared Work",
        "My Series",
        "2 stories",
    ]:
        assert text in page, text
    assert "Not Mine" not in page


def test_author_sees_own_drafts_on_their_page(client, make_story, author):
    make_story(author, "Public One")
    make_story(author, "Pending One", status=Status.PENDING)
    client.force_login(author)
    page = client.get(reverse("author", args=[author.pk])).content.decode()
    assert "Your work not yet public" in page and "Pending One" in page
    assert "Awaiting validation" in page


def test_unknown_author_is_404(client, db):
    assert client.get(reverse("author", args=[999999])).status_code == 404

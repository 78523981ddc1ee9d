"""Atom feeds of recently updated stories: the site's, a tag's, an author's, a series', a
story's chapters. Each is checked against Atom's rules, lists only public stories, carries
full summaries, and is linked from the head of its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.formats.tests.atomcheck import NS, check_atom, entries, links, titles
from fabula.stories import actions


@pytest.fixture
def shelf(make_story, author, coauthor, archive):
    """Public stories of two authors in a series, and stories no feed may show."""
    first = make_story(
        author, title="First Light", summary="<p>A <em>full</em> summary & more.</p>"
    )
    second = make_story(coauthor, title="Second Wind", tags=[archive.other_fandom, archive.pam])
    series = actions.series_create(owner=author, title="Lights")
    actions.series_add(series=series, story=first)
    hidden = [
        make_story(author, title="Draft Story", status="draft"),
        make_story(author, title="Pending Story", status="pending"),
        make_story(author, title="Hidden Story", status="hidden"),
        make_story(author, title="Members Story", rating=archive.members_only),
        make_story(author, title="No Chapter Yet", chapters=0),
    ]
    for story in hidden:
        actions.series_add(series=series, story=story)
    return {"first": first, "second": second, "series": series, "hidden": hidden}


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/atom+xml")
    return check_atom(response.content)


def test_site_feed_lists_public_stories_with_full_summaries(client, shelf):
    root = fetch(client, reverse("feed-recent"))
    assert set(titles(root)) == {"First Light", "Second Wind"}
    entry = next(e for e in entries(root) if e.findtext("a:title", namespaces=NS) == "First Light")
    content = entry.find("a:content", NS)
    assert content.get("type") == "html"
    assert "<p>A <em>full</em> summary &amp; more.</p>" in content.text
    assert "<strong>Rated:</strong> G" in content.text
    assert [a.findtext("a:name", namespaces=NS) for a in entry.findall("a:author", NS)] == [
        "Night Swept"
    ]
    alternate = links(entry, "alternate")[0]
    assert alternate.get("href") == f"http://127.0.0.1:8000/stories/{shelf['first'].pk}/"
    assert (
        entry.findtext("a:id", namespaces=NS)
        == f"http://127.0.0.1:8000/stories/{shelf['first'].pk}/"
    )
    assert links(root, "self")[0].get("href") == "http://127.0.0.1:8000/feeds/recent.atom"


def test_tag_author_and_series_feeds(client, shelf, archive, coauthor):
    assert titles(fetch(client, reverse("feed-tag", args=[archive.other_fandom.pk]))) == [
        "Second Wind"
    ]
    # A category's feed holds its sub-categories' stories too.
    assert titles(fetch(client, reverse("feed-tag", args=[archive.fandom.pk]))) == ["First Light"]
    assert titles(fetch(client, reverse("feed-author", args=[coauthor.pk]))) == ["Second Wind"]
    assert titles(fetch(client, reverse("feed-series", args=[shelf["series"].pk]))) == [
        "First Light"
    ]


def test_story_chapter_feed(client, shelf):
    root = fetch(client, reverse("feed-story", args=[shelf["first"].pk]))
    assert titles(root) == ["Chapter 2", "Chapter 1"]
    assert client.get(reverse("feed-story", args=[shelf["hidden"][0].pk])).status_code == 404


def test_members_only_stories_show_in_a_members_feed(client, shelf, reader):
    client.force_login(reader)
    assert "Members Story" in titles(fetch(client, reverse("feed-recent")))


def test_unknown_feed_subjects_are_404(client, db):
    for name in ("feed-tag", "feed-author", "feed-series", "feed-story"):
        assert client.get(reverse(name, args=[987654])).status_code == 404


def test_pages_link_their_feeds_in_the_head(client, shelf, archive, author):
    def head(url):
        page = client.get(url).content.decode()
        return page[: page.index("</head>")]

    assert reverse("feed-recent") in head(reverse("home"))
    assert reverse("opds-root") in head(reverse("home"))
    assert reverse("feed-story", args=[shelf["first"].pk]) in head(
        reverse("story", args=[shelf["first"].pk])
    )
    assert reverse("feed-series", args=[shelf["series"].pk]) in head(
        reverse("series", args=[shelf["series"].pk])
    )
    assert reverse("feed-author", args=[author.pk]) in head(reverse("author", args=[author.pk]))
    tag_page = reverse("browse-tag", args=[archive.category.slug, archive.fandom.pk])
    assert reverse("feed-tag", args=[archive.fandom.pk]) in head(tag_page)


def test_a_guest_feed_follows_changes(client, shelf, author):
    assert "Brand New" not in titles(fetch(client, reverse("feed-recent")))
    story = actions.story_create(
        authors=[author],
        title="Brand New",
        rating=shelf["first"].rating,
        tags=[],
        status="published",
    )
    actions.chapter_add(story=story, title="One", body="<p>Text.</p>")
    assert titles(fetch(client, reverse("feed-recent")))[0] == "Brand New"

"""Atom feeds of recently updated stories: the whole site, one tag, one author, one series;
and the site's news.

Every feed lists what a guest may see (`permissions.listed_stories`): drafts, stories awaiting
validation, hidden ones and members-only ones never appear. Each entry carries the story's full
summary and header (rating, tags, counts) as HTML, its authors, and its address.
`story_entry` is shared with the OPDS catalog, which adds download links.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import escape

from fabula.conf.models import site_settings
from fabula.formats.atom import ATOM_TYPE, Entry, Feed, Link, Person, latest
from fabula.news.selectors import latest_posts
from fabula.stories.listing.browsing import stories_tagged
from fabula.stories.models import Series, Story, shown_authors
from fabula.stories.permissions import credited_stories
from fabula.stories.selectors import with_listing_data

FEED_LENGTH = 25


@dataclass
class Site:
    """Where addresses start: the configured site address (SiteSettings.site_url), for ids and
    links alike. Never the request's host: feeds are cached and shared by every reader, and a
    Host header (or an absolute-form request target) is the client's to choose."""

    name: str
    address: str

    def id(self, path: str) -> str:
        return self.address + path

    def link(self, path: str) -> str:
        return self.address + path

    @classmethod
    def configured(cls) -> Site:
        settings = site_settings()
        return cls(settings.site_name, settings.site_url)


def recent(stories: QuerySet[Story], limit: int = FEED_LENGTH) -> list[Story]:
    return list(with_listing_data(stories).order_by("-updated_at", "-pk")[:limit])


def site_feed(site: Site, listed: QuerySet[Story]) -> Feed:
    return _feed(
        site,
        f"{site.name}: recently updated stories",
        reverse("feed-recent"),
        reverse("recent"),
        recent(listed),
    )


def tag_feed(site: Site, listed: QuerySet[Story], tag) -> Feed:
    return _feed(
        site,
        f"{site.name}: {tag.kind.name}: {tag.name}",
        reverse("feed-tag", args=[tag.pk]),
        reverse("browse-tag", args=[tag.kind.slug, tag.pk]),
        recent(stories_tagged(listed, tag.pk)),
    )


def author_feed(site: Site, listed: QuerySet[Story], author) -> Feed:
    # A feed is everyone's: it lists what a guest finds on the author's page.
    stories = credited_stories(AnonymousUser(), listed, author)
    return _feed(
        site,
        f"{site.name}: stories by {author.pen_name}",
        reverse("feed-author", args=[author.pk]),
        reverse("author", args=[author.pk]),
        recent(stories),
    )


def series_feed(site: Site, listed: QuerySet[Story], series: Series) -> Feed:
    stories = listed.filter(series_entries__series=series, series_entries__confirmed=True)
    return _feed(
        site,
        f"{site.name}: series {series.title}",
        reverse("feed-series", args=[series.pk]),
        reverse("series", args=[series.pk]),
        recent(stories.distinct()),
    )


def reading_list_feed(site: Site, stories: QuerySet[Story], reading_list) -> Feed:
    """The stories latest put on a member's reading list (`stories` comes from
    `community.permissions.reading_list_stories`, newest first), each with the member's note."""
    return _feed(
        site,
        f"{site.name}: {reading_list.name}, a reading list by {reading_list.owner.pen_name}",
        reverse("feed-reading-list", args=[reading_list.pk]),
        reading_list.get_absolute_url(),
        list(with_listing_data(stories)[:FEED_LENGTH]),
    )


def news_feed(site: Site) -> Feed:
    """The staff's published news posts, newest first, each with its whole text."""
    posts = latest_posts(FEED_LENGTH)
    entries = [
        Entry(
            id=site.id(post.get_absolute_url()),
            title=post.title,
            updated=post.updated_at,
            published=post.published_at,
            authors=[Person(post.author.pen_name if post.author else site.name)],
            links=[Link(site.link(post.get_absolute_url()))],
            content_html=post.body,
        )
        for post in posts
    ]
    feed_path = reverse("feed-news")
    return Feed(
        id=site.id(feed_path),
        title=f"{site.name}: news",
        updated=latest(entry.updated for entry in entries),
        author=Person(site.name, site.address),
        links=[
            Link(site.link(feed_path), rel="self", type=ATOM_TYPE),
            Link(site.link(reverse("news:posts"))),
        ],
        entries=entries,
    )


def _feed(site: Site, title: str, feed_path: str, page_path: str, stories: list[Story]) -> Feed:
    entries = [story_entry(site, story) for story in stories]
    return Feed(
        id=site.id(feed_path),
        title=title,
        updated=latest(entry.updated for entry in entries),
        author=Person(site.name, site.address),
        links=[Link(site.link(feed_path), rel="self", type=ATOM_TYPE), Link(site.link(page_path))],
        entries=entries,
    )


def story_entry(site: Site, story: Story, links: list[Link] | None = None) -> Entry:
    """A story as a feed entry; `story` comes from `with_listing_data` (no more queries). A
    story from a reading list carries the member's note (`list_note`), shown first."""
    path = reverse("story", args=[story.pk])
    credits = list(story.credits.all())
    tags = [story_tag.tag for story_tag in story.story_tags.all()]
    return Entry(
        id=site.id(path),
        title=story.title,
        updated=story.updated_at or story.published_at or story.created_at,
        published=story.published_at,
        authors=[
            Person(pseud.name, site.link(pseud.url) if pseud.url else "")
            for pseud in shown_authors(story, [credit.pseud for credit in credits])
        ],
        links=[Link(site.link(path)), *(links or [])],
        content_html=_list_note(story) + _entry_html(story, tags),
        categories=[(str(tag.pk), tag.name) for tag in tags],
        language=story.language,
    )


def _entry_html(story: Story, tags: list) -> str:
    """The full summary, then the header as a short list."""
    lines = [
        ("Rated", escape(story.rating.name)),
        *_tag_lines(tags),
        ("Chapters", str(story.chapter_count)),
        ("Words", f"{story.word_count:,}"),
        ("Completed", "Yes" if story.completed else "No"),
    ]
    header = "".join(f"<li><strong>{label}:</strong> {value}</li>" for label, value in lines)
    return f"{story.summary}<ul>{header}</ul>"


def _list_note(story: Story) -> str:
    """The reading list's note on the story (sanitised when written), or nothing."""
    note = getattr(story, "list_note", "")
    return f'<div class="list-note">{note}</div>' if note else ""


def _tag_lines(tags: list) -> list[tuple[str, str]]:
    by_kind: dict[str, list[str]] = {}
    for tag in tags:
        by_kind.setdefault(tag.kind.name, []).append(escape(tag.name))
    return [(kind, ", ".join(names)) for kind, names in by_kind.items()]

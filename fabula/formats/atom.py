"""Atom feeds (RFC 4287): a small writer, the story entries every feed shares, and the
"atom" story format (a story's chapters as a feed, to follow a work in progress).

`feed_xml(Feed)` writes any feed: the site's, a tag's, an author's or a series' recent stories
(`feeds.py`) and the OPDS catalog (`opds.py`), which is Atom with more link relations. What the
Atom rules ask, every feed here has: a feed and each entry carry `id`, `title` and `updated`;
every entry has an author (its own); links carry `rel` and `type`; dates are RFC 3339 in UTC.
Ids and links are addresses on the configured site address (SiteSettings.site_url), never the
host a request named: feeds are cached and shared, so a client's Host must not reach them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from fabula.conf.models import site_settings
from fabula.formats.registry import Format
from fabula.lib.html import html_to_plain
from fabula.lib.text import xml_safe
from fabula.lib.words import tidy_title
from fabula.stories.models import Chapter, Story, shown_authors, shown_chapter_author

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACES = {
    None: ATOM,
    "dc": "http://purl.org/dc/terms/",
    "opds": "http://opds-spec.org/2010/catalog",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
ATOM_TYPE = "application/atom+xml"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass
class Link:
    href: str
    rel: str = "alternate"
    type: str = "text/html"
    title: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # e.g. {"opds:facetGroup": "Sort"}


@dataclass
class Person:
    name: str
    uri: str = ""


@dataclass
class Entry:
    id: str
    title: str
    updated: datetime | None
    authors: list[Person] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    summary: str = ""  # plain text
    content_html: str = ""  # HTML, as text (type="html")
    published: datetime | None = None
    categories: list[tuple[str, str]] = field(default_factory=list)  # (term, label)
    language: str = ""


@dataclass
class Feed:
    id: str
    title: str
    updated: datetime | None
    links: list[Link]
    entries: list[Entry]
    subtitle: str = ""
    author: Person | None = None
    # OpenSearch counts for paginated feeds: (total results, items per page, start index).
    counts: tuple[int, int, int] | None = None


def rfc3339(value: datetime | None) -> str:
    """A time as RFC 3339 in UTC ("2007-05-29T00:00:00Z"); a missing one as the epoch."""
    value = value or EPOCH
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def latest(values: Iterable[datetime | None]) -> datetime:
    return max((v for v in values if v is not None), default=EPOCH)


def feed_xml(feed: Feed) -> bytes:
    root = etree.Element(f"{{{ATOM}}}feed", nsmap=NAMESPACES)
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle)
    _text(root, "updated", rfc3339(feed.updated))
    if feed.author:
        _person(root, "author", feed.author)
    for link in feed.links:
        _link(root, link)
    if feed.counts:
        total, per_page, start = feed.counts
        for name, value in (
            ("totalResults", total),
            ("itemsPerPage", per_page),
            ("startIndex", start),
        ):
            _text(root, f"{{{NAMESPACES['opensearch']}}}{name}", str(value))
    for entry in feed.entries:
        root.append(entry_element(entry))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def entry_xml(entry: Entry) -> bytes:
    """A lone entry document (OPDS's "complete acquisition entry")."""
    element = entry_element(entry, nsmap=NAMESPACES)
    return etree.tostring(element, xml_declaration=True, encoding="utf-8")


def entry_element(entry: Entry, nsmap=None) -> etree._Element:
    element = etree.Element(f"{{{ATOM}}}entry", nsmap=nsmap)
    _text(element, "id", entry.id)
    _text(element, "title", entry.title)
    _text(element, "updated", rfc3339(entry.updated))
    if entry.published:
        _text(element, "published", rfc3339(entry.published))
    for person in entry.authors:
        _person(element, "author", person)
    if entry.language:
        _text(element, f"{{{NAMESPACES['dc']}}}language", entry.language)
    for term, label in entry.categories:
        etree.SubElement(element, f"{{{ATOM}}}category", term=xml_safe(term), label=xml_safe(label))
    if entry.summary:
        _text(element, "summary", entry.summary).set("type", "text")
    if entry.content_html:
        _text(element, "content", entry.content_html).set("type", "html")
    for link in entry.links:
        _link(element, link)
    return element


def _text(parent, name: str, value: str):
    tag = name if name.startswith("{") else f"{{{ATOM}}}{name}"
    element = etree.SubElement(parent, tag)
    element.text = xml_safe(value)
    return element


def _person(parent, name: str, person: Person) -> None:
    element = _text(parent, name, "")
    element.text = None
    _text(element, "name", person.name)
    if person.uri:
        _text(element, "uri", person.uri)


def _link(parent, link: Link) -> None:
    element = etree.SubElement(
        parent, f"{{{ATOM}}}link", rel=link.rel, href=link.href, type=link.type
    )
    if link.title:
        element.set("title", xml_safe(link.title))
    for name, value in link.extra.items():
        prefix, _, local = name.rpartition(":")
        element.set(f"{{{NAMESPACES[prefix]}}}{local}" if prefix else local, xml_safe(value))


# ---------------------------------------------------------------------------------------------
# The "atom" story format: one story's chapters, newest first.


def render(story: Story, chapters: Sequence[Chapter]) -> bytes:
    from django.urls import reverse

    site = site_settings()
    story_url = site.site_url + reverse("story", args=[story.pk])
    authors = [
        Person(user.pen_name, site.site_url + reverse("author", args=[user.pk]) if user.pk else "")
        for user in shown_authors(
            story, [credit.user for credit in story.credits.select_related("user")]
        )
    ]
    entries = []
    for chapter in sorted(chapters, key=lambda c: c.position, reverse=True):
        url = site.site_url + chapter.get_absolute_url()
        entries.append(
            Entry(
                id=url,
                title=chapter.title,
                updated=chapter.updated_at,
                published=chapter.release_at or chapter.created_at,
                authors=[Person(shown_chapter_author(chapter).pen_name)],
                links=[Link(url)],
                summary=tidy_title(html_to_plain(chapter.notes)),
            )
        )
    return feed_xml(
        Feed(
            id=story_url + "#chapters",
            title=f"{story.title}: chapters",
            subtitle=tidy_title(html_to_plain(story.summary)),
            updated=latest([story.updated_at, *(e.updated for e in entries)]),
            author=authors[0] if authors else Person(site.site_name),
            links=[Link(story_url), Link(story_url + "#chapters", rel="self", type=ATOM_TYPE)],
            entries=entries,
        )
    )


FORMAT = Format(
    name="atom",
    label="Atom feed of the chapters",
    media_type="application/atom+xml; charset=utf-8",
    extension="atom",
    render=render,
)

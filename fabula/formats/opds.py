"""The OPDS 1.2 catalog: Atom feeds an e-reader app browses, searches and downloads from.

- The root (`/opds/`) is a navigation feed: recently updated stories, categories, authors,
  series, top lists and, for members, their favourites and marked-for-later lists.
- Navigation feeds (categories, authors, series) list entries that lead to acquisition feeds.
- Acquisition feeds list stories, each with links to download it in the registry's catalog
  formats (`Format.in_catalog`: EPUB and HTML), paginated
  with first/previous/next/last links and OpenSearch counts.
- The OpenSearch description (`/opds/opensearch.xml`) tells apps how to search.

Everything lists only what the reader may see (`permissions.listed_stories`); an age-gated
story's download links carry the consent parameter, and its entry says so, as an app cannot
show the gate page. The functions here build `atom.Feed`s; `views.py` serves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape

from fabula.conf.models import site_settings
from fabula.formats.atom import Entry, Feed, Link, Person, entry_xml, latest
from fabula.formats.feeds import Site, story_entry
from fabula.formats.registry import Format, catalog_formats
from fabula.stories.listing.browsing import (
    authors_with_counts,
    series_with_counts,
    stories_tagged,
    tags_with_counts,
)
from fabula.stories.listing.pages import page_number
from fabula.stories.models import Chapter, Series, Story
from fabula.stories.permissions import credited_stories, listed_stories, signed
from fabula.stories.selectors import with_listing_data
from fabula.taxonomy.models import TagKind

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ENTRY_TYPE = "application/atom+xml;type=entry;profile=opds-catalog"
OPENSEARCH = "application/opensearchdescription+xml"
ACQUIRE = "http://opds-spec.org/acquisition/open-access"
SORT_NEW = "http://opds-spec.org/sort/new"
SORT_POPULAR = "http://opds-spec.org/sort/popular"
CONSENT = "consent=yes"  # what a download link needs to pass an age or warning gate


@dataclass(frozen=True)
class TopList:
    key: str
    title: str
    order: tuple[str, ...]


TOP_LISTS = {
    top.key: top
    for top in (
        TopList("read", "Most read", ("-read_count", "-pk")),
        TopList("favourites", "Most favourited", ("-favourite_count", "-pk")),
        TopList("kudos", "Most kudos", ("-kudos_count", "-pk")),
        TopList("reviewed", "Most reviewed", ("-review_count", "-pk")),
        TopList("longest", "Longest", ("-word_count", "-pk")),
    )
}


# ---------------------------------------------------------------------------------------------
# Navigation


def root_feed(site: Site) -> Feed:
    def section(
        title: str, path: str, summary: str, kind: str = ACQUISITION, rel: str = "subsection"
    ):
        return _navigation_entry(site, title, path, summary, kind=kind, rel=rel)

    entries = [
        section(
            "Recently updated", reverse("opds-recent"), "The newest chapters first.", rel=SORT_NEW
        ),
        section("Categories", reverse("opds-categories"), "Stories by category.", kind=NAVIGATION),
        section("Authors", reverse("opds-authors"), "Stories by author.", kind=NAVIGATION),
        section("Series", reverse("opds-series-list"), "Stories in series.", kind=NAVIGATION),
        *(
            section(
                top.title,
                reverse("opds-top", args=[top.key]),
                f"{top.title} stories.",
                rel=SORT_POPULAR,
            )
            for top in TOP_LISTS.values()
        ),
    ]
    # Apps show these to everyone; a guest who opens one is asked to log in (HTTP Basic).
    entries += [
        section(
            "My favourites",
            reverse("opds-favourites"),
            "Your favourite stories (log in with an app password).",
        ),
        section(
            "Marked for later",
            reverse("opds-later"),
            "Stories you marked to read later (log in with an app password).",
        ),
    ]
    return _navigation_feed(site, f"{site.name}", reverse("opds-root"), entries)


def categories_feed(site: Site, listed: QuerySet[Story]) -> Feed:
    entries = []
    for kind in TagKind.objects.filter(role=TagKind.Role.CATEGORY).order_by("order", "slug"):
        nodes = tags_with_counts(kind, listed)
        names = {node.tag.pk: node.tag.name for node in nodes}
        for node in sorted(nodes, key=lambda node: (node.tag.name, node.tag.pk)):
            if not node.count:
                continue
            tag = node.tag
            title = f"{names[tag.parent_id]} > {tag.name}" if tag.parent_id in names else tag.name
            entries.append(
                _navigation_entry(
                    site, title, reverse("opds-tag", args=[tag.pk]), _count(node.count)
                )
            )
    return _navigation_feed(site, "Categories", reverse("opds-categories"), entries)


def authors_feed(site: Site, listed: QuerySet[Story], page_number: str | None) -> Feed:
    page = _page(authors_with_counts(listed), page_number)
    entries = [
        _navigation_entry(
            site,
            author.pen_name,
            reverse("opds-author", args=[author.pk]),
            _count(author.story_count),
        )
        for author in page
    ]
    return _navigation_feed(site, "Authors", reverse("opds-authors"), entries, page=page)


def series_list_feed(site: Site, listed: QuerySet[Story], page_number: str | None) -> Feed:
    page = _page(series_with_counts(listed).filter(story_count__gt=0), page_number)
    entries = [
        _navigation_entry(
            site, series.title, reverse("opds-series", args=[series.pk]), _count(series.story_count)
        )
        for series in page
    ]
    return _navigation_feed(site, "Series", reverse("opds-series-list"), entries, page=page)


# ---------------------------------------------------------------------------------------------
# Acquisition


def recent_feed(site: Site, listed: QuerySet[Story], page_number: str | None) -> Feed:
    stories = listed.order_by("-updated_at", "-pk")
    return acquisition_feed(site, "Recently updated", reverse("opds-recent"), stories, page_number)


def tag_feed(site: Site, listed: QuerySet[Story], tag, page_number: str | None) -> Feed:
    stories = stories_tagged(listed, tag.pk).order_by("-updated_at", "-pk")
    return acquisition_feed(
        site, tag.name, reverse("opds-tag", args=[tag.pk]), stories, page_number
    )


def author_feed(site: Site, listed: QuerySet[Story], author, page_number: str | None) -> Feed:
    stories = credited_stories(AnonymousUser(), listed, author).order_by("-updated_at", "-pk")
    return acquisition_feed(
        site,
        f"Stories by {author.pen_name}",
        reverse("opds-author", args=[author.pk]),
        stories,
        page_number,
    )


def series_feed(
    site: Site, listed: QuerySet[Story], series: Series, page_number: str | None
) -> Feed:
    stories = listed.filter(series_entries__series=series, series_entries__confirmed=True).order_by(
        "series_entries__position", "pk"
    )
    return acquisition_feed(
        site, series.title, reverse("opds-series", args=[series.pk]), stories, page_number
    )


def top_feed(site: Site, listed: QuerySet[Story], key: str, page_number: str | None) -> Feed:
    top = TOP_LISTS.get(key)
    if top is None:
        raise Http404(f"No top list {key!r}; there are: {', '.join(TOP_LISTS)}.")
    return acquisition_feed(
        site, top.title, reverse("opds-top", args=[key]), listed.order_by(*top.order), page_number
    )


def search_feed(site: Site, listed: QuerySet[Story], query: str, page_number: str | None) -> Feed:
    """Stories whose title, summary or a byline's pseud holds every word of the query."""
    stories = listed
    for word in query.split()[:10]:
        stories = stories.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(
                pk__in=signed(Story.objects.all())
                .filter(credits__pseud__name__icontains=word)
                .values("pk")
            )
        )
    if not query.split():
        stories = stories.none()
    return acquisition_feed(
        site,
        f"Search: {query}",
        reverse("opds-search"),
        stories.order_by("-updated_at", "-pk"),
        page_number,
        query={"q": query},
    )


def reading_list_feed(
    site: Site, stories: QuerySet[Story], reading_list, page_number: str | None
) -> Feed:
    """A member's reading list in its order (`stories` from
    `community.permissions.reading_list_stories`), each entry with the member's note."""
    return acquisition_feed(
        site,
        f"{reading_list.name} ({reading_list.owner.pen_name})",
        reverse("opds-reading-list", args=[reading_list.pk]),
        stories,
        page_number,
    )


def member_feed(
    site: Site, title: str, path: str, stories: QuerySet[Story], page_number: str | None
) -> Feed:
    return acquisition_feed(site, title, path, stories, page_number)


def acquisition_feed(
    site: Site,
    title: str,
    path: str,
    stories: QuerySet[Story],
    page_number: str | None,
    *,
    query: dict[str, str] | None = None,
) -> Feed:
    page = _page(with_listing_data(stories), page_number)
    entries = [acquisition_entry(site, story) for story in page]
    feed = _feed(site, title, path, ACQUISITION, entries, page=page, query=query)
    return feed


def acquisition_entry(site: Site, story: Story) -> Entry:
    """A story with its download links (and, for a gated story, its warning)."""
    gated = story.rating.age_consent or story.rating.warning
    suffix = f"?{CONSENT}" if gated else ""
    links = [
        Link(
            site.link(reverse("download", args=[story.pk, fmt.name]) + suffix),
            rel=ACQUIRE,
            type=fmt.link_type,
            title=fmt.download_label,
        )
        for fmt in catalog_formats()
    ]
    entry = story_entry(site, story, links)
    if gated:
        warning = story.rating.warning_text or f"This story is rated {story.rating.name}."
        entry.content_html = (
            f"<p><strong>{escape(warning)}</strong> Downloading it confirms that you are old "
            f"enough to read it.</p>{entry.content_html}"
        )
    return entry


# ---------------------------------------------------------------------------------------------
# OpenSearch


def opensearch_description(site: Site) -> bytes:
    from xml.sax.saxutils import escape as xml_escape
    from xml.sax.saxutils import quoteattr

    template = site.link(reverse("opds-search")) + "?q={searchTerms}&page={startPage?}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">\n'
        f"  <ShortName>{xml_escape(site.name[:16])}</ShortName>\n"
        f"  <Description>Search the stories of {xml_escape(site.name)}</Description>\n"
        "  <InputEncoding>UTF-8</InputEncoding>\n  <OutputEncoding>UTF-8</OutputEncoding>\n"
        f"  <Url type={quoteattr(ACQUISITION)} template={quoteattr(template)}/>\n"
        "</OpenSearchDescription>\n"
    ).encode()


# ---------------------------------------------------------------------------------------------
# Building blocks


def _navigation_entry(
    site: Site,
    title: str,
    path: str,
    summary: str,
    *,
    kind: str = ACQUISITION,
    rel: str = "subsection",
) -> Entry:
    return Entry(
        id=site.id(path),
        title=title,
        updated=None,  # set to the feed's time by _feed
        links=[Link(site.link(path), rel=rel, type=kind)],
        content_html=escape(summary),
    )


def _navigation_feed(
    site: Site, title: str, path: str, entries: list[Entry], *, page: Page | None = None
) -> Feed:
    return _feed(site, title, path, NAVIGATION, entries, page=page)


def _feed(
    site: Site,
    title: str,
    path: str,
    kind: str,
    entries: list[Entry],
    *,
    page: Page | None = None,
    query: dict[str, str] | None = None,
) -> Feed:
    updated = latest(entry.updated for entry in entries)
    if updated == latest([]):
        updated = _archive_updated()
    for entry in entries:
        entry.updated = entry.updated or updated
    links = [
        Link(
            site.link(_with_page(path, query, page.number if page else None)), rel="self", type=kind
        ),
        Link(site.link(reverse("opds-root")), rel="start", type=NAVIGATION, title=site.name),
        Link(
            site.link(reverse("opds-opensearch")),
            rel="search",
            type=OPENSEARCH,
            title=f"Search {site.name}",
        ),
    ]
    if path != reverse("opds-root"):
        links.append(Link(site.link(reverse("opds-root")), rel="up", type=NAVIGATION))
    counts = None
    if page is not None:
        last = page.paginator.num_pages
        for rel, number, wanted in (
            ("first", 1, page.number > 1),
            ("previous", page.number - 1, page.has_previous()),
            ("next", page.number + 1, page.has_next()),
            ("last", last, page.number < last),
        ):
            if wanted:
                links.append(Link(site.link(_with_page(path, query, number)), rel=rel, type=kind))
        counts = (page.paginator.count, page.paginator.per_page, page.start_index() or 1)
    return Feed(
        id=site.id(path),
        title=title,
        updated=updated,
        author=Person(site.name, site.address),
        links=links,
        entries=entries,
        counts=counts,
    )


def _with_page(path: str, query: dict[str, str] | None, number: int | None) -> str:
    params = dict(query or {})
    if number and number > 1:
        params["page"] = str(number)
    return f"{path}?{urlencode(params)}" if params else path


def _page(items, raw: str | None) -> Page:
    number = page_number(raw)
    try:
        return Paginator(items, site_settings().items_per_page).page(number)
    except EmptyPage as error:
        raise Http404(f"No such page: {error}") from error


def _count(number: int) -> str:
    return f"{number} stor{'y' if number == 1 else 'ies'}"


def _archive_updated():
    """When anything a guest may see last changed: the time of a feed that lists no story (a
    members-only story's own time is not given away)."""
    return (
        listed_stories(AnonymousUser())
        .filter(updated_at__isnull=False)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )


# ---------------------------------------------------------------------------------------------
# The "opds" story format: one story's complete OPDS entry.


def render(story: Story, chapters: Sequence[Chapter]) -> bytes:
    site = Site.configured()
    listed = with_listing_data(Story.objects.filter(pk=story.pk)).get()
    return entry_xml(acquisition_entry(site, listed))


FORMAT = Format(
    name="opds",
    label="OPDS catalog entry",
    media_type=f"{ENTRY_TYPE}; charset=utf-8",
    extension="xml",
    render=render,
)

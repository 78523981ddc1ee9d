"""The values of eFiction's story information block, as its default templates print them.

eFiction computes a story's header once (its `storyblock`) and the print view and the story
index lay the same values out differently. The values themselves (empty words, order, dates,
breadcrumbs) come from `fabula.formats.efiction_fields`, shared with the printable text export,
so the pages and the text agree. This module adds what only HTML has: links, relative to the
old archive's folder exactly as eFiction wrote them (`browse.php?type=categories&amp;catid=1`),
because tools in the wild scrape them. The index links categories, characters, classes and
series; the printable page links categories only (unless the site shows category breadcrumbs,
which print as text).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from fabula.formats import efiction_fields
from fabula.formats.efiction_fields import CATEGORY_PATH_SEPARATOR, NO_CATEGORY, NOTHING
from fabula.lib.words import tidy_title
from fabula.stories.models import Series
from fabula.stories.selectors import StoryHeader
from fabula.taxonomy.models import Tag


@dataclass
class ClassLine:
    label: str
    value: SafeString


@dataclass
class StoryBlock:
    """One story's information block, each value ready for the page."""

    title: str
    title_link: SafeString
    authors: str  # pen names, for <title>
    author_links: SafeString
    description: str  # the summary as plain text, for <meta name=description>
    summary: SafeString
    rating: str
    categories: SafeString
    characters: SafeString
    class_lines: list[ClassLine]
    challenges: SafeString
    series: SafeString
    text: efiction_fields.HeaderFields  # the plain values: counts and dates print as they are
    notes: SafeString


def story_block(
    header: StoryHeader, *, links: bool, date_format: str, extend_categories: bool
) -> StoryBlock:
    """The block for the index (`links=True`) or for the printable page (`links=False`)."""
    story = header.story
    if extend_categories:
        load_category_parents(header.categories)
    text = efiction_fields.header_fields(
        header, date_format=date_format, extend_categories=extend_categories, pen_names_only=True
    )
    if links:
        characters = _characters(header.characters)
        class_lines = [
            ClassLine(line.kind.name, _classes(line.kind.legacy_id, line.tags))
            for line in header.class_lines
        ]
        series = _series(header.series)
    else:
        characters = conditional_escape(text.characters)
        class_lines = [
            ClassLine(name, conditional_escape(value)) for name, value in text.class_lines
        ]
        series = conditional_escape(text.series)
    if extend_categories and not links:
        categories = conditional_escape(text.categories)
    else:
        categories = _categories(header.categories, extend=extend_categories)
    return StoryBlock(
        title=story.title,
        title_link=format_html('<a href="viewstory.php?sid={}">{}</a>', story.pk, story.title),
        authors=text.authors,
        author_links=user_links(header.authors),
        description=tidy_title(strip_tags(story.summary)),
        summary=mark_safe(story.summary),  # sanitised when it was stored
        rating=story.rating.name,
        categories=categories,
        characters=characters,
        class_lines=class_lines,
        # eFiction's challenges module links challenges; Fabula has no challenge page an old
        # link could reach, so they are plain titles.
        challenges=conditional_escape(text.challenges),
        series=series,
        text=text,
        notes=mark_safe(story.notes),  # sanitised when it was stored
    )


def user_links(users) -> SafeString:
    """Links to the members' pages; a name with no member behind it ("Anonymous") as text."""
    return mark_safe(
        ", ".join(
            format_html('<a href="viewuser.php?uid={}">{}</a>', user.pk, user.pen_name)
            if user.pk
            else conditional_escape(user.pen_name)
            for user in users
        )
    )


def _joined(pieces: list[SafeString], empty: str = NOTHING) -> SafeString:
    if not pieces:
        return conditional_escape(empty)
    return mark_safe(", ".join(pieces))


def _link(href: str | None, name: str) -> SafeString:
    """eFiction's link, or the bare name for a tag without an eFiction number (no old-style
    link can name it). `href` is already escaped for HTML."""
    if href is None:
        return conditional_escape(name)
    return format_html("<a href='{}'>{}</a>", mark_safe(href), name)


def _characters(tags: list[Tag]) -> SafeString:
    return _joined(
        [
            _link(
                None
                if tag.legacy_id is None
                else f"browse.php?type=characters&amp;charid={tag.legacy_id}",
                tag.name,
            )
            for tag in tags
        ]
    )


def _classes(type_id: int | None, tags: list[Tag]) -> SafeString:
    return _joined(
        [
            _link(
                None
                if type_id is None or tag.legacy_id is None
                else f"browse.php?type=class&amp;type_id={type_id}&amp;classid={tag.legacy_id}",
                tag.name,
            )
            for tag in tags
        ]
    )


def _category_link(tag: Tag) -> SafeString:
    href = (
        None if tag.legacy_id is None else f"browse.php?type=categories&amp;catid={tag.legacy_id}"
    )
    return _link(href, tag.name)


def _categories(tags: list[Tag], *, extend: bool) -> SafeString:
    """Links, each category alone, or with `extend` its path from the top, a link per level."""
    if not extend:
        return _joined([_category_link(tag) for tag in tags], NO_CATEGORY)
    separator = conditional_escape(CATEGORY_PATH_SEPARATOR)
    return _joined(
        [mark_safe(separator.join(_category_link(t) for t in _path(tag))) for tag in tags],
        NO_CATEGORY,
    )


def _path(tag: Tag) -> list[Tag]:
    path: list[Tag] = []
    seen: set[int] = set()
    node: Tag | None = tag
    while node is not None and node.pk not in seen:  # `seen` guards against a cycle in bad data
        seen.add(node.pk)
        path.insert(0, node)
        node = node.parent
    return path


def load_category_parents(tags: list[Tag]) -> None:
    """Fetch the categories above these, one query per level, and hang each on its child, so
    walking `tag.parent` costs no more queries."""
    level = list(tags)
    known: dict[int, Tag] = {tag.pk: tag for tag in tags}
    while level:
        missing = {t.parent_id for t in level if t.parent_id and t.parent_id not in known}
        found = list(Tag.objects.filter(pk__in=missing)) if missing else []
        known.update((tag.pk, tag) for tag in found)
        for tag in level:
            if tag.parent_id in known:
                tag.parent = known[tag.parent_id]
        level = found


def _series(series: list[Series]) -> SafeString:
    return _joined(
        [format_html("<a href='viewseries.php?seriesid={}'>{}</a>", s.pk, s.title) for s in series]
    )

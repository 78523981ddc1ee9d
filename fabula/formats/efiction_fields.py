"""The values of eFiction's story header, as plain text: one source for every eFiction layout.

eFiction prints the same header ("Categories: ... Characters: ...", one line per class type,
"Chapters: 4 Completed: Yes Word count: 7157 Read: 13723 Published: May 29, 2007 Updated: ...")
in its printable page, its story index and its listings. The printable text format
(`efiction_text`) and the legacy HTML pages (`fabula/legacy/`) must agree on every value, so the
rules live here, built on `fabula.stories.selectors.story_header`:

- names are joined with ", " in the order the story gives them;
- no category prints "Orphan"; no character, class of a kind, series or challenge prints "None";
- every class kind of the site gets a line, in the order of the kind's slug (eFiction sorted
  its class types by their internal name), even when the story has none of that kind;
- "Completed" is "Yes" or "No";
- dates are shown in the site's time zone (settings.TIME_ZONE) in the site's PHP date format
  (SiteSettings.date_format, default 'F d, Y' = "May 29, 2007"); a missing date prints as "";
  a story never updated shows its publication date as "Updated";
- with SiteSettings.extend_categories a category prints as its path, "Parent > Child".

`header_fields` gives all of them at once; the small functions are there for pages that wrap
some values in links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from fabula.lib.dates import format_php_date
from fabula.stories.models import Story
from fabula.stories.selectors import StoryHeader
from fabula.taxonomy.models import Tag

NO_CATEGORY = "Orphan"
NOTHING = "None"
CATEGORY_PATH_SEPARATOR = " > "


@dataclass
class HeaderFields:
    """A story's header values, every one a string ready to print (counts as ints)."""

    title: str
    authors: str
    categories: str
    characters: str
    class_lines: list[tuple[str, str]]  # (kind's name, its values)
    challenges: str
    series: str
    chapters: int
    completed: str
    word_count: int
    read_count: int
    published: str
    updated: str


def header_fields(
    header: StoryHeader,
    *,
    date_format: str,
    extend_categories: bool = False,
    chapter_count: int | None = None,
    pen_names_only: bool = False,
) -> HeaderFields:
    """The header values of a story. `chapter_count` defaults to the story's published chapters;
    a page printing some chapters passes how many it prints. Authors are the pseuds the story
    is signed with, or with `pen_names_only` the members' pen names (the legacy pages, frozen as
    eFiction printed them)."""
    story = header.story
    return HeaderFields(
        title=story.title,
        authors=pen_names(header.authors) if pen_names_only else pseud_names(header.bylines),
        categories=joined(
            (category_name(tag, extend=extend_categories) for tag in header.categories),
            empty=NO_CATEGORY,
        ),
        characters=joined(tag.name for tag in header.characters),
        class_lines=[
            (line.kind.name, joined(tag.name for tag in line.tags)) for line in header.class_lines
        ],
        challenges=joined(challenge.title for challenge in header.challenges),
        series=joined(series.title for series in header.series),
        chapters=story.chapter_count if chapter_count is None else chapter_count,
        completed=yes_no(story.completed),
        word_count=story.word_count,
        read_count=story.read_count,
        published=story_date(story.published_at, date_format),
        updated=story_date(story.updated_at or story.published_at, date_format),
    )


def joined(names: Iterable[str], *, empty: str = NOTHING) -> str:
    """Names joined with ", ", or eFiction's word for none."""
    return ", ".join(names) or empty


def pen_names(users: Iterable) -> str:
    """Authors (main author, then co-authors) as eFiction credits them."""
    return ", ".join(user.pen_name for user in users)


def pseud_names(pseuds: Iterable) -> str:
    """The pseuds a story is signed with, credited as eFiction credited pen names."""
    return ", ".join(pseud.name for pseud in pseuds)


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def story_date(value: datetime | None, date_format: str) -> str:
    """A stored time as the site prints dates: its time zone, its PHP format; "" when unset."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return format_php_date(value, date_format)


def category_name(tag: Tag, *, extend: bool = False) -> str:
    """A category's name, or with `extend` its path from the top ("Parent > Child")."""
    if not extend:
        return tag.name
    names = []
    seen = set()
    node: Tag | None = tag
    while node is not None and node.pk not in seen:  # `seen` guards against a cycle in bad data
        seen.add(node.pk)
        names.append(node.name)
        node = node.parent
    return CATEGORY_PATH_SEPARATOR.join(reversed(names))


def archived_url(story: Story, legacy_root: str) -> str:
    """The "This story archived at" address: the one an imported story had on its old archive,
    else this archive's eFiction-style address (`legacy_root` is SiteSettings.legacy_root)."""
    return story.archived_at or f"{legacy_root}/viewstory.php?sid={story.pk}"

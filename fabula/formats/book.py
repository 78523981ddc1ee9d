"""A story gathered for a reading format: what EPUB, HTML and plain text all print.

`gather(story, chapters)` reads everything once (header, series places, site settings) into a
plain `Book`, so each format module only lays it out. The title page shows the whole story
header, as eFiction's printable page does, minus the read count: that changes with every reader,
and a download is built once per version of the story (`downloads.py`), not once per read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from django.urls import reverse

from fabula.conf.models import site_settings
from fabula.formats import efiction_fields
from fabula.lib.text import xml_safe
from fabula.stories.models import Chapter, SeriesEntry, Story, shown_chapter_author
from fabula.stories.selectors import StoryHeader, story_header

DEFAULT_DATE_FORMAT = "F d, Y"


@dataclass
class SeriesPlace:
    """The story's place in one series: "part `index` of `title`"."""

    title: str
    url: str
    index: int


@dataclass
class BookChapter:
    number: int  # 1, 2, ... in the book (positions may have gaps)
    title: str
    author: str  # pen name
    by_other_author: bool  # credited on the chapter: it is not the story's main author's
    notes: str  # HTML, the author's notes before the text
    body: str  # HTML
    end_notes: str  # HTML
    url: str  # its address on the site


@dataclass
class Book:
    story: Story
    header: StoryHeader
    title: str
    authors: list[str]  # pen names, main author first
    language: str
    url: str  # the story's address on the site
    identifier: str  # a stable urn:uuid made from the address
    summary: str  # HTML
    notes: str  # HTML, the story notes
    # The title page's lines: (label, plain text value), in eFiction's header order.
    fields: list[tuple[str, str]]
    subjects: list[str]  # every tag's name, for dc:subject
    series: list[SeriesPlace]
    published: datetime | None
    updated: datetime | None
    site_name: str
    site_url: str
    copyright: str  # HTML, the site's printer copyright
    chapters: list[BookChapter] = field(default_factory=list)


def gather(story: Story, chapters: Sequence[Chapter]) -> Book:
    """Everything a format prints about `story` with these chapters (already filtered), with
    what XML cannot carry removed from every text (old data may hold a control character, and
    an e-book's XML would refuse it)."""
    return _printable(_gather(story, chapters))


def _printable(value):
    """`value` with `xml_safe` applied to every string inside it (Book and its parts, lists and
    pairs); model objects (the story, its header) are left as they are."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_printable(item) for item in value)
    if isinstance(value, Book | BookChapter | SeriesPlace):
        return replace(value, **{f.name: _printable(getattr(value, f.name)) for f in fields(value)})
    return value


def _gather(story: Story, chapters: Sequence[Chapter]) -> Book:
    site = site_settings()
    chapters = list(chapters)
    header = story_header(story, chapters)
    values = efiction_fields.header_fields(
        header,
        date_format=site.date_format or DEFAULT_DATE_FORMAT,
        extend_categories=site.extend_categories,
        chapter_count=len(chapters),
    )
    url = site.site_url + reverse("story", args=[story.pk])
    series = series_places(story, site.site_url)
    fields = [
        ("Rated", story.rating.name),
        ("Categories", values.categories),
        ("Characters", values.characters),
        *values.class_lines,
    ]
    if header.freeform:
        fields.append(("Tags", efiction_fields.joined(tag.name for tag in header.freeform)))
    fields += [
        ("Challenges", values.challenges),
        ("Series", ", ".join(f"{p.title} (part {p.index})" for p in series) or "None"),
        ("Chapters", str(values.chapters)),
        ("Completed", values.completed),
        ("Word count", f"{story.word_count:,}"),
        ("Published", values.published or "Not yet"),
        ("Updated", values.updated or "Not yet"),
    ]
    main_author_id = header.authors[0].pk if header.authors else None
    tags = [
        *header.categories,
        *header.characters,
        *(t for line in header.class_lines for t in line.tags),
        *header.freeform,
    ]
    return Book(
        story=story,
        header=header,
        title=story.title,
        authors=[pseud.name for pseud in header.bylines],
        language=story.language or "en",
        url=url,
        identifier=f"urn:uuid:{uuid5(NAMESPACE_URL, url)}",
        summary=story.summary,
        notes=story.notes,
        fields=fields,
        subjects=list(dict.fromkeys(tag.name for tag in tags)),
        series=series,
        published=story.published_at,
        updated=story.updated_at or story.published_at,
        site_name=site.site_name,
        site_url=site.site_url,
        copyright=site.printer_copyright,
        chapters=[
            BookChapter(
                number=number,
                title=chapter.title,
                author=shown_chapter_author(chapter).pen_name,
                by_other_author=chapter.author_id != main_author_id,
                notes=chapter.notes,
                body=chapter.body,
                end_notes=chapter.end_notes,
                url=site.site_url + chapter.get_absolute_url(),
            )
            for number, chapter in enumerate(chapters, start=1)
        ],
    )


def series_places(story: Story, site_url: str) -> list[SeriesPlace]:
    """Each series holding the story, with the story's 1-based place among its stories."""
    places = []
    entries = SeriesEntry.objects.filter(story=story, confirmed=True).select_related("series")
    for entry in entries.order_by("pk"):
        in_order = list(
            SeriesEntry.objects.filter(series=entry.series_id, story__isnull=False, confirmed=True)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        places.append(
            SeriesPlace(
                title=entry.series.title,
                url=site_url + reverse("series", args=[entry.series_id]),
                index=in_order.index(entry.pk) + 1,
            )
        )
    return places

"""The canonical story: what every format reader produces and the loader writes.

A reader (eFiction's printable text, later EPUB, HTML, an eFiction database, ...) turns its
input into these plain objects; `loader.load_story` writes one into the archive through the
actions. Nothing here touches the database, so readers stay simple and testable.

Texts (summary, notes, bodies) are HTML; people, tags, series and challenges are named, not
numbered: the loader finds or makes them by name. Ids are kept when the source had them, so old
links keep working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class CanonicalChapter:
    title: str
    body: str  # HTML
    author: str = ""  # pen name; empty means the story's main author
    notes: str = ""  # HTML, the author's notes before the text
    end_notes: str = ""  # HTML
    position: int | None = None  # its number in the story (eFiction's inorder); None: next
    chapter_id: int | None = None  # an id to keep (eFiction's chapid); None: a new one
    status: str = "published"  # a stories.models.Status value


@dataclass
class CanonicalStory:
    title: str
    authors: list[str]  # pen names, main author first
    summary: str = ""  # HTML
    notes: str = ""  # HTML, the story notes
    rating: str = ""  # the rating's name; empty: the loader's default
    categories: list[str] = field(default_factory=list)  # "Parent > Child" names a sub-category
    characters: list[str] = field(default_factory=list)
    # Class kind title ("Genres") -> class names, in print order. A kind listed with no names
    # still tells the loader the kind exists on the source site.
    classes: dict[str, list[str]] = field(default_factory=dict)
    freeform: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)  # titles
    challenges: list[str] = field(default_factory=list)  # titles
    completed: bool = False
    word_count: int | None = None  # as the source recorded it; None: count from the chapters
    read_count: int = 0
    published_at: datetime | None = None  # aware datetimes
    updated_at: datetime | None = None
    story_id: int | None = None  # an id to keep (eFiction's sid); None: a new one
    archived_at: str = ""  # the address the story had on its old archive
    language: str = "en"
    status: str = "published"  # a stories.models.Status value
    chapters: list[CanonicalChapter] = field(default_factory=list)
    # Where it came from, for messages: a file name, and the line of some fields in it
    # (e.g. {"story_id": 352, "classes:Genres": 8}); formats without lines leave it empty.
    source: str = ""
    lines: dict[str, int] = field(default_factory=dict)

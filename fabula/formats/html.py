"""The whole story as one HTML file ("html"), to read offline in any browser.

The file stands alone: its stylesheet is inside it, and every link and picture points at the
site by its full address. The story's HTML goes through `xhtml.to_xhtml`, as in the EPUB, so
obsolete markup is modernised the same way in both. The page is `formats/story.html`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from fabula.formats.book import Book, gather
from fabula.formats.registry import Format
from fabula.formats.xhtml import to_xhtml
from fabula.stories.models import Chapter, Story

NAME = "html"


def render(story: Story, chapters: Sequence[Chapter]) -> bytes:
    return build_html(gather(story, chapters))


def build_html(book: Book) -> bytes:
    def fragment(value: str):
        return mark_safe(to_xhtml(value, base_url=book.site_url))

    chapters = [
        {
            "chapter": chapter,
            "notes": fragment(chapter.notes),
            "body": fragment(chapter.body),
            "end_notes": fragment(chapter.end_notes),
        }
        for chapter in book.chapters
    ]
    return render_to_string(
        "formats/story.html",
        {
            "book": book,
            "summary": fragment(book.summary),
            "notes": fragment(book.notes),
            "copyright": fragment(book.copyright),
            "chapters": chapters,
        },
    ).encode("utf-8")


FORMAT = Format(
    name=NAME,
    label="HTML, one file",
    media_type="text/html; charset=utf-8",
    extension="html",
    render=render,
    download_label="HTML",
    in_catalog=True,
)

"""The whole story as plain UTF-8 text ("txt"), for any device and any reader.

A simple layout for people, not for machines (eFiction's exact printable text is
`efiction_text`): the title, the byline, the summary, the header one field a line, the story
notes, the contents, then each chapter under a rule with its notes in place. Paragraphs are
parted by a blank line, as `blocks.html_to_text` lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence

from fabula.formats.blocks import html_to_text
from fabula.formats.book import Book, gather
from fabula.formats.registry import Format
from fabula.stories.models import Chapter, Story

NAME = "txt"
RULE = "* * *"


def render(story: Story, chapters: Sequence[Chapter]) -> bytes:
    return build_text(gather(story, chapters)).encode("utf-8")


def build_text(book: Book) -> str:
    out = [book.title, f"by {', '.join(book.authors)}", ""]
    summary = html_to_text(book.summary).strip()
    if summary:
        out += ["Summary:", summary, ""]
    out += [f"{label}: {value}" for label, value in book.fields]
    out += [f"Address: {book.url}", ""]
    notes = html_to_text(book.notes).strip()
    if notes:
        out += ["Story Notes:", notes, ""]
    out.append("Contents:")
    out += [f"{chapter.number}. {chapter.title}" for chapter in book.chapters]
    for chapter in book.chapters:
        out += ["", RULE, "", f"{chapter.number}. {chapter.title}"]
        if chapter.by_other_author:
            out.append(f"by {chapter.author}")
        out.append("")
        chapter_notes = html_to_text(chapter.notes).strip()
        if chapter_notes:
            out += ["Author's Notes:", chapter_notes, ""]
        out.append(html_to_text(chapter.body).strip())
        end_notes = html_to_text(chapter.end_notes).strip()
        if end_notes:
            out += ["", "End Notes:", end_notes]
    copyright_text = html_to_text(book.copyright).strip()
    out += ["", RULE, ""]
    if copyright_text:
        out += [copyright_text, ""]
    out.append(f"From {book.site_name}: {book.url}")
    return "\n".join(out) + "\n"


FORMAT = Format(
    name=NAME,
    label="Plain text",
    media_type="text/plain; charset=utf-8",
    extension="txt",
    render=render,
    download_label="Text",
)

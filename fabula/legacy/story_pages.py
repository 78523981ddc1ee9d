"""What eFiction's printable view and story index show, gathered for their templates.

Both pages answer at the old address with eFiction's markup (`templates/legacy/`); this module
only decides what goes in them: which chapters, which notes, which links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from fabula.conf.models import SiteSettings
from fabula.legacy.storyblock import StoryBlock, story_block
from fabula.stories.models import Chapter, Story
from fabula.stories.selectors import story_header


@dataclass
class IndexEntry:
    """A line of the story index's table of contents."""

    chapter: Chapter
    notes: SafeString
    reviews: int


def archived_at(site: SiteSettings, story: Story) -> str:
    """The story's address in the old archive's form, as eFiction printed it."""
    return f"{site.legacy_root}/viewstory.php?sid={story.pk}"


def printable_context(
    site: SiteSettings, story: Story, chapters: list[Chapter], *, whole: bool
) -> dict:
    """The printable page: the whole story (`whole`), or the one chapter in `chapters`.

    The table of contents and the "Back to index" links come only with the whole story; story
    notes come with the whole story or with the first chapter, as in eFiction.
    """
    info = _block(site, story, chapters, links=False)
    first = chapters[0].position if chapters else 1
    return {
        "info": info,
        "chapters": chapters,
        "whole": whole,
        "show_story_notes": bool(info.notes) and (whole or first == 1),
        "top_anchor": first,
        "copyright": mark_safe(site.printer_copyright),  # written by the site's administrators
        "archived_at": archived_at(site, story),
    }


def index_context(site: SiteSettings, story: Story, chapters: list[Chapter]) -> dict:
    info = _block(site, story, chapters, links=True)
    return {
        "info": info,
        "story": story,
        "entries": [IndexEntry(c, inline_notes(c.notes), reviews=0) for c in chapters],
        "reviews": 0,  # reviews arrive with the community app
        "reviews_allowed": site.reviews_allowed,
    }


def _block(site: SiteSettings, story: Story, chapters: list[Chapter], *, links: bool) -> StoryBlock:
    return story_block(
        story_header(story, chapters),
        links=links,
        date_format=site.date_format,
        extend_categories=site.extend_categories,
    )


_PARAGRAPH_BREAK = re.compile(r"\s*</p>\s*<p(?:\s[^>]*)?>\s*", re.I)
_OUTER_P = re.compile(r"^\s*<p(?:\s[^>]*)?>(.*)</p>\s*$", re.I | re.S)


def inline_notes(notes: str) -> SafeString:
    """Chapter notes fit for the inside of the index's <p>: paragraphs become line breaks.

    eFiction put the notes' own <p> inside its <p>, which browsers tear apart.
    """
    text = _PARAGRAPH_BREAK.sub("<br /><br />", notes.strip())
    match = _OUTER_P.match(text)
    if match and "<p" not in match.group(1).lower():
        text = match.group(1)
    return mark_safe(text)  # sanitised when it was stored

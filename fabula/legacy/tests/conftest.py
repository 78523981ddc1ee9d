"""Fixtures for the legacy layer: a story built to mirror sid 1 of the saved eFiction pages.

`/work/shared/efiction/pages/` was captured from an eFiction site at http://127.0.0.1:8082 (no
folder), date format `M d Y`, categories as links. `sid1` rebuilds that story with the same
numbers (story 1, author 2, chapters 1-4, category 1 and 2, classes 1, 2 and 13) so the pages
Fabula answers can be compared with eFiction's link for link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.core.management.color import no_style
from django.db import connection

from fabula.accounts.models import User
from fabula.conf.models import SiteSettings
from fabula.stories import actions
from fabula.stories.models import Chapter, Status, Story
from fabula.taxonomy.models import Rating, Tag, TagKind
from fabula.test import PASSWORD, set_site

SUMMARY = (
    "Jim comes back from Stamford with a girlfriend and a plan. Neither survives contact with "
    "Pam. Post-Branch Closing, pre-Beach Games."
)
STORY_NOTES = "Written for the end-of-season challenge. Spoilers through The Return."
CHAPTERS = ["Temptation", "Coals", "Technically True", "Reception"]


@pytest.fixture
def efiction_site(db) -> SiteSettings:
    """The settings of the site the pages were saved from."""
    return set_site(
        site_url="http://127.0.0.1:8082",
        legacy_prefix="",
        date_format="M d Y",
        extend_categories=False,
        printer_copyright="<u>Note:</u> characters belong to their owners; this is fan work.",
    )


@dataclass
class Sid1:
    story: Story
    author: User
    chapters: list[Chapter]
    rating: Rating
    categories: TagKind
    characters: TagKind
    jim_and_pam: Tag
    present: Tag
    jim_pam: Tag
    karen: Tag
    angst: Tag
    adult_language: Tag


def _reset_sequences(*models) -> None:
    """Rows were written with explicit ids: let PostgreSQL number the next ones after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@pytest.fixture
def sid1(efiction_site) -> Sid1:
    categories = TagKind.objects.create(slug="categories", name="Categories", role="category")
    characters = TagKind.objects.create(slug="characters", name="Characters", role="character")
    genres = TagKind.objects.create(slug="genres", name="Genres", role="class", legacy_id=1)
    warnings = TagKind.objects.create(slug="warnings", name="Warnings", role="class", legacy_id=2)
    tag = Tag.objects.create
    jim_and_pam = tag(kind=categories, name="Jim and Pam", legacy_id=1)
    present = tag(kind=categories, name="Present", legacy_id=2)
    jim_pam = tag(kind=characters, name="Jim/Pam", legacy_id=1)
    karen = tag(kind=characters, name="Karen", legacy_id=2)
    angst = tag(kind=genres, name="Angst", legacy_id=1)
    inner = tag(kind=genres, name="Inner Monologue", legacy_id=2)
    adult = tag(kind=warnings, name="Adult language", legacy_id=13)
    rating = Rating.objects.create(name="PG-13", order=3)
    author = User.objects.create_user("Night Swept", "night@example.org", PASSWORD, id=2)
    story = actions.story_create(
        story_id=1,
        authors=[author],
        title="The Last Temptation of Jim Halpert",
        rating=rating,
        summary=SUMMARY,
        notes=STORY_NOTES,
        tags=[jim_and_pam, present, jim_pam, karen, angst, inner, adult],
        status=Status.PUBLISHED,
        completed=True,
        published_at=datetime(2007, 5, 29, 21, 14, tzinfo=UTC),
        updated_at=datetime(2007, 6, 1, 21, 14, tzinfo=UTC),
    )
    chapters = [
        actions.chapter_add(
            story=story,
            chapter_id=number,
            title=title,
            body=f"<p>The text of {title}.</p>\n<p>It goes on.</p>",
            notes="Thanks for reading." if number == 1 else "",
            status=Status.PUBLISHED,
            recount=False,
        )
        for number, title in enumerate(CHAPTERS, start=1)
    ]
    actions.story_set_recorded_counts(story=story, word_count=6174, read_count=1236)
    _reset_sequences(User, Story, Chapter)
    story.refresh_from_db()
    return Sid1(
        story=story,
        author=author,
        chapters=chapters,
        rating=rating,
        categories=categories,
        characters=characters,
        jim_and_pam=jim_and_pam,
        present=present,
        jim_pam=jim_pam,
        karen=karen,
        angst=angst,
        adult_language=adult,
    )

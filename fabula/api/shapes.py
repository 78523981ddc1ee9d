"""The JSON shapes of the API (pydantic schemas, which Ninja writes into the OpenAPI document)
and the functions that fill them from the models.

Each shape lists no required property: `fields=` may leave any of them out. Texts (summaries,
notes, chapters, bios) are the archive's sanitised HTML, as the pages show them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field

from fabula.stories.languages import native_name
from fabula.stories.listing.cards import Card, make_cards
from fabula.stories.models import Chapter, Series, Story, StoryRelation, shown_chapter_author
from fabula.stories.permissions import StoryLinks
from fabula.stories.selectors import StoryHeader

# Numbers a client sends: ids and places fit the database's integer columns (a larger one is a
# clear 400, not an overflow deep in the database driver).
MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Amount = Annotated[int, Field(ge=0, le=MAX_ID)]


def _optional_properties(schema: dict[str, Any]) -> None:
    schema.pop("required", None)


class Shape(Schema):
    model_config = ConfigDict(json_schema_extra=_optional_properties)


class Ref(Shape):
    id: int | None  # None: a name with no member behind it ("Anonymous")
    name: str


class Byline(Shape):
    """An author as a story is signed: the member's id, the pseud's name, id and page (all
    None but the name for "Anonymous", an anonymous collection's byline)."""

    id: int | None
    name: str
    pseud_id: int | None
    url: str | None


class TagLine(Shape):
    kind: str
    kind_name: str
    tags: list[Ref]


class Counts(Shape):
    words: int
    chapters: int
    reviews: int
    kudos: int
    favourites: int
    reads: int


class StorySummary(Shape):
    id: int
    url: str
    title: str
    summary: str
    rating: Ref
    authors: list[Byline]
    tags: list[TagLine]
    counts: Counts
    completed: bool
    language: str = Field(description="The story's language code (lang=, dc:language).")
    language_name: str = Field(description="The language, named in its own tongue.")
    locked: bool = Field(description="For members only: guests are never shown it.")
    published_at: datetime | None
    updated_at: datetime | None


class ChapterRef(Shape):
    id: int
    position: int
    title: str
    words: int
    url: str


class GiftOut(Shape):
    member: Ref | None  # None: a plain name, not a member here
    name: str


class RelationOut(Shape):
    kind: str  # inspired, translation or remix
    story: Ref | None  # a story here (None when elsewhere, or when the reader may not see it)
    url: str | None
    title: str
    answer: str  # waiting, approved or rejected (by the original's authors)


class StoryOut(StorySummary):
    notes: str
    series: list[Ref]
    challenges: list[Ref]
    chapters: list[ChapterRef]
    gate: str | None
    gifts: list[GiftOut]
    relations: list[RelationOut]  # what this story is inspired by, translates or remixes
    related_works: list[RelationOut]  # approved stories inspired by, translating or remixing it


class ChapterOut(Shape):
    id: int
    story_id: int
    position: int
    title: str
    author: Ref
    notes: str
    body: str
    end_notes: str
    words: int
    updated_at: datetime | None


class TagNode(Shape):
    id: int
    name: str
    children: list[TagNode]


class KindOut(Shape):
    slug: str
    name: str
    role: str
    tags: list[TagNode]


class TagOut(Shape):
    id: int
    name: str
    kind: str
    description: str
    parent: Ref | None
    children: list[Ref]
    story_count: int


class PseudOut(Shape):
    id: int
    name: str
    url: str
    default: bool


class AuthorOut(Shape):
    id: int
    pen_name: str
    url: str
    bio: str
    website: str
    story_count: int
    pseuds: list[PseudOut]


class SeriesEntryOut(Shape):
    position: int
    story: StorySummary | None
    series: Ref | None


class SeriesOut(Shape):
    id: int
    title: str
    summary: str
    owner: Ref
    story_count: int
    entries: list[SeriesEntryOut]


class ChallengeOut(Shape):
    id: int
    title: str
    summary: str
    challenger: str
    owner: Ref | None
    tags: list[Ref]
    response_count: int
    created_at: datetime


class ReplyOut(Shape):
    id: int
    parent_id: int | None
    user_id: int | None
    name: str
    body: str
    by_author: bool
    created_at: datetime


class ReviewThread(ReplyOut):
    rating: int | None
    chapter_id: int | None
    chapter_position: int | None
    replies: list[ReplyOut]


class TopRow(Shape):
    id: int
    name: str
    url: str
    value: int


class TopList(Shape):
    name: str
    title: str
    kind: str
    rows: list[TopRow]


class SearchHit(Shape):
    story: StorySummary
    chapter_position: int | None
    snippet: str


class SearchPage(Shape):
    count: int
    # False: the words are in more chapters than a search reads, and `count` is a lower bound
    # (the stories of the first ones: see the search page).
    count_complete: bool
    page: int
    pages: int
    notice: str
    results: list[SearchHit]


def page_schema(item: type[Shape], name: str) -> type[Shape]:
    """The shape of a page of `item`s (`responses.PageOf.body`)."""
    return type(
        name,
        (Shape,),
        {
            "__annotations__": {
                "count": int,
                "page": int,
                "pages": int,
                "results": list[item],  # type: ignore[valid-type]
            }
        },
    )


# ---------------------------------------------------------------------------------------------
# From models to shapes (as plain dicts, ready for `responses.respond`)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def story_summary(card: Card, request) -> dict:
    story = card.story
    return {
        "id": story.pk,
        "url": request.build_absolute_uri(story.get_absolute_url()),
        "title": story.title,
        "summary": story.summary,
        "rating": {"id": story.rating_id, "name": story.rating.name},
        "authors": [
            {
                "id": a.pk,
                "name": a.name,
                "pseud_id": getattr(a, "pseud_id", None),
                "url": request.build_absolute_uri(a.url) if a.url else None,
            }
            for a in card.authors
        ],
        "tags": [
            {
                "kind": line.kind.slug,
                "kind_name": line.kind.name,
                "tags": [{"id": t.pk, "name": t.name} for t in line.tags],
            }
            for line in card.tag_lines
        ],
        "counts": {
            "words": story.word_count,
            "chapters": story.chapter_count,
            "reviews": story.review_count,
            "kudos": story.kudos_count,
            "favourites": story.favourite_count,
            "reads": story.read_count,
        },
        "completed": story.completed,
        "language": story.language,
        "language_name": native_name(story.language),
        "locked": story.locked,
        "published_at": _iso(story.published_at),
        "updated_at": _iso(story.updated_at),
    }


def story_summaries(stories, request) -> list[dict]:
    return [story_summary(card, request) for card in make_cards(stories)]


def story_out(
    story: Story,
    header: StoryHeader,
    links: StoryLinks,
    chapters: list[Chapter],
    gate: str | None,
    request,
) -> dict:
    (card,) = make_cards([story])
    return {
        **story_summary(card, request),
        "notes": story.notes,
        "series": [{"id": s.pk, "name": s.title} for s in header.series],
        "challenges": [{"id": c.pk, "name": c.title} for c in header.challenges],
        "chapters": [
            {
                "id": c.pk,
                "position": c.position,
                "title": c.title,
                "words": c.word_count,
                "url": request.build_absolute_uri(c.get_absolute_url()),
            }
            for c in chapters
        ],
        "gate": gate,
        "gifts": [
            {
                "member": {"id": g.recipient.pk, "name": g.recipient.pen_name}
                if g.recipient
                else None,
                "name": g.shown_name,
            }
            for g in links.gifts
        ],
        "relations": [
            _relation(r, r.original if getattr(r, "original_visible", False) else None)
            for r in links.relations
        ],
        "related_works": [_relation(r, r.story) for r in links.related_works],
    }


def _relation(relation: StoryRelation, story: Story | None) -> dict:
    return {
        "kind": relation.kind,
        "story": {"id": story.pk, "name": story.title} if story is not None else None,
        "url": relation.url or None,
        "title": relation.title if story is None else story.title,
        "answer": relation.answer,
    }


def _chapter_author(chapter: Chapter) -> dict:
    author = shown_chapter_author(chapter)
    return {"id": author.pk, "name": author.pen_name}


def chapter_out(chapter: Chapter) -> dict:
    return {
        "id": chapter.pk,
        "story_id": chapter.story_id,
        "position": chapter.position,
        "title": chapter.title,
        "author": _chapter_author(chapter),
        "notes": chapter.notes,
        "body": chapter.body,
        "end_notes": chapter.end_notes,
        "words": chapter.word_count,
        "updated_at": _iso(chapter.updated_at),
    }


def series_ref(series: Series) -> dict:
    return {"id": series.pk, "name": series.title}

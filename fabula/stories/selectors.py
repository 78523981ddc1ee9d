"""Reads that span several tables, written to cost a fixed, small number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from fabula.accounts.models import Pseud
from fabula.lib.pagecache import kept_for_generation
from fabula.stories.models import (
    Challenge,
    Chapter,
    CoauthorInvite,
    Series,
    SeriesEntry,
    Story,
    StoryAuthor,
    StoryTag,
    shown_authors,
)
from fabula.taxonomy.models import Tag, TagKind

# A story header's parts (`story_header`): their key changes with the content, so this only
# frees the memory of stories nobody reads.
HEADER_CACHE_SECONDS = 3600


def with_listing_data(stories: QuerySet[Story]) -> QuerySet[Story]:
    """Everything a story card shows (rating, authors, tags) in three more queries in all."""
    return stories.select_related("rating").prefetch_related(
        Prefetch("credits", queryset=StoryAuthor.objects.select_related("user", "pseud")),
        Prefetch("story_tags", queryset=StoryTag.objects.select_related("tag__kind")),
    )


@dataclass
class TagLine:
    """One line of the header: a kind of tag and the story's tags of that kind, in order."""

    kind: TagKind
    tags: list[Tag]


@dataclass
class HeaderParts:
    """What a story's header reads from tables other than the story's own row (kept between
    the story's pages: `story_header`)."""

    authors: list  # the members credited (who may edit; the legacy pages print pen names)
    bylines: list[Pseud]  # the pseuds they sign it with, in the same order
    categories: list[Tag]
    characters: list[Tag]
    class_lines: list[TagLine]
    freeform: list[Tag]
    series: list[Series]
    challenges: list[Challenge]


@dataclass
class StoryHeader(HeaderParts):
    """What eFiction's story header shows, gathered once for every page and format."""

    story: Story = field(kw_only=True)
    chapters: list[Chapter] = field(default_factory=list, kw_only=True)


def story_header(story: Story, chapters: list[Chapter] | None = None) -> StoryHeader:
    """The header of one story.

    Class lines come for every class kind of the site, in the alphabetical order of the kind's
    internal name, as eFiction prints them, even when the story has none of that kind.

    Every page of a story (its index, the whole story, eFiction's index and printable page, the
    downloads) shows this header, and what it reads beside the story's row (credits, tags,
    kinds, series, challenges) took five queries, half of a printable page built cold. Those
    parts are kept in the cache under the content generation, which every write to them
    retires (`lib.changes.changed`); the story's own row, and so its counters, are always the
    caller's fresh one.
    """
    parts = kept_for_generation(
        f"story-header:{story.pk}", lambda: _header_parts(story), HEADER_CACHE_SECONDS
    )
    # "Anonymous" is decided now, not when the parts were kept: a reveal changes the story's
    # own row.
    return StoryHeader(
        **{
            **vars(parts),
            "authors": shown_authors(story, parts.authors),
            "bylines": shown_authors(story, parts.bylines),
        },
        story=story,
        chapters=chapters if chapters is not None else [],
    )


def _header_parts(story: Story) -> HeaderParts:
    credits = list(story.credits.select_related("user", "pseud"))
    by_role: dict[str, list[Tag]] = {}
    by_kind: dict[int, list[Tag]] = {}
    for story_tag in story.story_tags.select_related("tag__kind"):
        tag = story_tag.tag
        by_role.setdefault(tag.kind.role, []).append(tag)
        by_kind.setdefault(tag.kind_id, []).append(tag)
    class_kinds = sorted(_class_kinds(), key=lambda kind: kind.slug)
    return HeaderParts(
        authors=[credit.user for credit in credits],
        bylines=[credit.pseud for credit in credits],
        categories=by_role.get(TagKind.Role.CATEGORY, []),
        characters=by_role.get(TagKind.Role.CHARACTER, []),
        class_lines=[TagLine(kind, by_kind.get(kind.pk, [])) for kind in class_kinds],
        freeform=by_role.get(TagKind.Role.FREEFORM, []),
        series=list(Series.objects.filter(entries__story=story).order_by("entries__pk").distinct()),
        challenges=list(story.challenges.select_related("collection").order_by("title")),
    )


def _class_kinds() -> list[TagKind]:
    return list(TagKind.objects.filter(role=TagKind.Role.CLASS))


@dataclass
class AuthorDesk:
    """What an author's own page lists: their stories (any status), the invitations waiting for
    their answer, their series, and the stories others asked to add to those series."""

    stories: QuerySet[Story]
    invites: QuerySet[CoauthorInvite]
    series: QuerySet[Series]
    waiting_entries: QuerySet[SeriesEntry]


def author_desk(user) -> AuthorDesk:
    return AuthorDesk(
        stories=Story.objects.filter(credits__user=user)
        .select_related("rating")
        .order_by("-created_at")
        .distinct(),
        invites=CoauthorInvite.objects.filter(user=user).select_related("story", "invited_by"),
        series=Series.objects.filter(owner=user),
        waiting_entries=SeriesEntry.objects.filter(
            series__owner=user, confirmed=False
        ).select_related("series", "story", "subseries"),
    )

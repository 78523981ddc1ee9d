"""Reads that span several tables, written to cost a fixed, small number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from fabula.accounts.models import Pseud, User
from fabula.lib.db import Columns, id_list, table_name
from fabula.lib.numbers import LARGEST_ID
from fabula.lib.pagecache import kept_for_generation
from fabula.stories.models import (
    Challenge,
    Chapter,
    CoauthorInvite,
    Gift,
    Series,
    SeriesEntry,
    Story,
    StoryAuthor,
    StoryRelation,
    StoryTag,
    released_chapters_sql,
    shown_authors,
)
from fabula.taxonomy.models import Rating, Tag, TagKind

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
    """In plain SQL (see the reads below) but for the challenges, which most stories answer
    none of: a cold story index spent a third of its time building these queries."""
    credits = _USER.read_with(
        _PSEUD,
        f"SELECT {_USER.sql}, {_PSEUD.sql} FROM {table_name(StoryAuthor)} c"
        f" JOIN {table_name(User)} u ON u.id = c.user_id"
        f" JOIN {table_name(Pseud)} p ON p.id = c.pseud_id"
        " WHERE c.story_id = %s ORDER BY c.position, c.id",
        [story.pk],
    )
    by_role: dict[str, list[Tag]] = {}
    by_kind: dict[int, list[Tag]] = {}
    for tag, kind in _TAG.read_with(
        _KIND,
        f"SELECT {_TAG.sql}, {_KIND.sql} FROM {table_name(StoryTag)} st"
        f" JOIN {table_name(Tag)} t ON t.id = st.tag_id"
        f" JOIN {table_name(TagKind)} k ON k.id = t.kind_id"
        " WHERE st.story_id = %s ORDER BY st.position, st.id",
        [story.pk],
    ):
        Tag.kind.field.set_cached_value(tag, kind)
        by_role.setdefault(kind.role, []).append(tag)
        by_kind.setdefault(kind.pk, []).append(tag)
    class_kinds = sorted(  # sorted here: the databases' collations differ
        _KIND.read(
            f"SELECT {_KIND.sql} FROM {table_name(TagKind)} k WHERE k.role = %s",
            [TagKind.Role.CLASS.value],
        ),
        key=lambda kind: kind.slug,
    )
    # A story may stand twice in one series (two entries): the series is named once.
    series = _SERIES.read(
        f"SELECT {_SERIES.sql} FROM {table_name(SeriesEntry)} e"
        f" JOIN {table_name(Series)} x ON x.id = e.series_id WHERE e.story_id = %s ORDER BY e.id",
        [story.pk],
    )
    return HeaderParts(
        authors=[user for user, _ in credits],
        bylines=[pseud for _, pseud in credits],
        categories=by_role.get(TagKind.Role.CATEGORY, []),
        characters=by_role.get(TagKind.Role.CHARACTER, []),
        class_lines=[TagLine(kind, by_kind.get(kind.pk, [])) for kind in class_kinds],
        freeform=by_role.get(TagKind.Role.FREEFORM, []),
        series=list({each.pk: each for each in series}.values()),
        challenges=list(story.challenges.select_related("collection").order_by("title")),
    )


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


# ---------------------------------------------------------------------------------------------
# The reads of the pages read most (a chapter, and whatever loads a story), in plain SQL
# (`lib.db.Columns`): through the ORM, building each of these queries cost ten times running it
# (issue 18). They give model instances as the ORM would.

_STORY = Columns(Story, "s")
_RATING = Columns(Rating, "r")
_CHAPTER = Columns(Chapter, "c")
# A chapter but its text (a story's contents); its text stays in the database.
_CHAPTER_ENTRY = Columns(
    Chapter, "c", [field.attname for field in Chapter._meta.concrete_fields if field.name != "body"]
)
_USER = Columns(User, "u")
_PSEUD = Columns(Pseud, "p")
_TAG = Columns(Tag, "t")
_KIND = Columns(TagKind, "k")
_SERIES = Columns(Series, "x")
# What a chapter list and jump menu need; the texts of the other chapters stay in the database.
_CHAPTER_LINE = Columns(
    Chapter, "c", ("id", "story_id", "position", "title", "status", "release_at", "word_count")
)


def story_with_rating(story_id: int) -> Story | None:
    """A story by id, with its rating, or None."""
    if not 0 < story_id <= LARGEST_ID:
        return None
    found = _STORY.read_with(
        _RATING,
        f"SELECT {_STORY.sql}, {_RATING.sql} FROM {table_name(Story)} s"
        f" JOIN {table_name(Rating)} r ON r.id = s.rating_id WHERE s.id = %s",
        [story_id],
    )
    if not found:
        return None
    story, rating = found[0]
    Story.rating.field.set_cached_value(story, rating)
    return story


ChapterDetail = Literal["line", "entry", "text"]


def chapter_list(
    story: Story,
    *,
    released_only: bool,
    detail: ChapterDetail = "line",
    position: int | None = None,
) -> list[Chapter]:
    """The story's chapters in order (or the one at `position`): every one, or
    (`released_only`) those released (`permissions.readable_chapters` says which a reader
    sees). Each as a `line` of the chapter menu (title and counts), an `entry` of the story's
    contents (all but the text, with its writer) or whole, its `text` too (with its writer)."""
    where, params = "c.story_id = %s", [story.pk]
    if position is not None:
        where, params = f"{where} AND c.position = %s", [*params, position]
    if released_only:
        released, released_params = released_chapters_sql("c", timezone.now())
        where, params = f"{where} AND {released}", [*params, *released_params]
    if detail == "line":
        chapters = _CHAPTER_LINE.read(
            f"SELECT {_CHAPTER_LINE.sql} FROM {table_name(Chapter)} c WHERE {where}"
            " ORDER BY c.position",
            params,
        )
    else:
        columns = _CHAPTER if detail == "text" else _CHAPTER_ENTRY
        chapters = []
        for chapter, writer in columns.read_with(
            _USER,
            f"SELECT {columns.sql}, {_USER.sql} FROM {table_name(Chapter)} c"
            f" JOIN {table_name(User)} u ON u.id = c.author_id WHERE {where} ORDER BY c.position",
            params,
        ):
            Chapter.author.field.set_cached_value(chapter, writer)
            chapters.append(chapter)
    for chapter in chapters:
        Chapter.story.field.set_cached_value(chapter, story)
    return chapters


def chapter_by_id(chapter_id: int) -> Chapter | None:
    """A chapter with its text, by id (one its reader may see: `chapter_list` says which)."""
    found = _CHAPTER.read(
        f"SELECT {_CHAPTER.sql} FROM {table_name(Chapter)} c WHERE c.id = %s", [chapter_id]
    )
    return found[0] if found else None


def credit_rows(story_ids: list[int]) -> list[tuple[int, int, int, str]]:
    """(story id, member id, pseud id, pseud name) of each credit of these stories, by story
    and in credit order: the bylines of a chapter page and of a list of cards."""
    ids = id_list(story_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.story_id, c.user_id, c.pseud_id, p.name FROM {table_name(StoryAuthor)} c"
            f" JOIN {table_name(Pseud)} p ON p.id = c.pseud_id WHERE c.story_id IN ({ids.sql})"
            " ORDER BY c.story_id, c.position",
            ids.params,
        )
        return cursor.fetchall()


def card_tag_rows(story_ids: list[int]) -> list[tuple[int, int, str, int, str, str, int]]:
    """(story id, tag id, tag name, kind id, kind name, kind slug, kind order) of each filing
    of these stories, by story and in filing order: the tag lines of a list of cards."""
    ids, order = id_list(story_ids), connection.ops.quote_name("order")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.story_id, t.id, t.name, k.id, k.name, k.slug, k.{order}"
            f" FROM {table_name(StoryTag)} f JOIN {table_name(Tag)} t ON t.id = f.tag_id"
            f" JOIN {table_name(TagKind)} k ON k.id = t.kind_id WHERE f.story_id IN ({ids.sql})"
            " ORDER BY f.story_id, f.position",
            ids.params,
        )
        return cursor.fetchall()


def has_gifts_or_relations(story_id: int) -> tuple[bool, bool]:
    """Whether the story has any gift row (refused ones too) and any relation, either way."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table_name(Gift)} WHERE story_id = %s),"
            f" EXISTS (SELECT 1 FROM {table_name(StoryRelation)}"
            " WHERE story_id = %s OR original_id = %s)",
            [story_id, story_id, story_id],
        )
        gifts, relations = cursor.fetchone()
    return bool(gifts), bool(relations)

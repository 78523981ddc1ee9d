"""Every write to stories, chapters, series and challenges.

Views, commands, importers and the API call these functions; they never save the models
themselves. Each action keeps the derived counts (words, chapters) and retires cached pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from fabula.accounts.models import User
from fabula.lib.db import keep_ids_ahead
from fabula.lib.html import sanitize
from fabula.lib.pagecache import content_changed
from fabula.lib.words import count_words
from fabula.stories.models import (
    Challenge,
    Chapter,
    Series,
    SeriesEntry,
    Status,
    Story,
    StoryAuthor,
    StoryTag,
)
from fabula.taxonomy.models import Rating, Tag


@transaction.atomic
def story_create(
    *,
    authors: Sequence[User],
    title: str,
    rating: Rating,
    summary: str = "",
    notes: str = "",
    tags: Sequence[Tag] = (),
    status: str = Status.DRAFT,
    completed: bool = False,
    featured: bool = False,
    language: str = "en",
    published_at: datetime | None = None,
    updated_at: datetime | None = None,
    story_id: int | None = None,
    archived_at: str = "",
    read_count: int = 0,
    challenges: Sequence[Challenge] = (),
) -> Story:
    """A new story credited to `authors` (main author first). It has no chapters yet."""
    if not authors:
        raise ValueError("A story needs at least one author.")
    title = " ".join(title.split())
    if not title:
        raise ValueError("A story needs a title.")
    now = timezone.now()
    if status == Status.PUBLISHED and published_at is None:
        published_at = now
    story = Story.objects.create(
        id=story_id,
        title=title,
        summary=sanitize(summary),
        notes=sanitize(notes),
        rating=rating,
        status=status,
        completed=completed,
        featured=featured,
        language=language,
        published_at=published_at,
        updated_at=updated_at or published_at,
        archived_at=archived_at,
        read_count=read_count,
    )
    if story_id is not None:
        keep_ids_ahead(Story)
    StoryAuthor.objects.bulk_create(
        StoryAuthor(story=story, user=user, position=i) for i, user in enumerate(authors)
    )
    story_set_tags(story=story, tags=tags)
    if challenges:
        story.challenges.set(challenges)
    content_changed()
    return story


def story_set_tags(*, story: Story, tags: Sequence[Tag]) -> None:
    """Replace the story's tags, keeping the order given."""
    StoryTag.objects.filter(story=story).delete()
    unique = list(dict.fromkeys(tags))
    StoryTag.objects.bulk_create(
        StoryTag(story=story, tag=tag, position=i) for i, tag in enumerate(unique)
    )
    content_changed()


@transaction.atomic
def chapter_add(
    *,
    story: Story,
    title: str,
    body: str,
    author: User | None = None,
    notes: str = "",
    end_notes: str = "",
    status: str = Status.PUBLISHED,
    release_at: datetime | None = None,
    chapter_id: int | None = None,
    position: int | None = None,
    recount: bool = True,
) -> Chapter:
    """Add a chapter at the end (or at `position`). The story's counts follow unless `recount`
    is False, which an import uses to keep the counts the old archive recorded."""
    if author is None:
        author = story.credits.select_related("user").first().user
    if position is None:
        position = (story.chapters.aggregate(p=Max("position"))["p"] or 0) + 1
    body = sanitize(body)
    chapter = Chapter.objects.create(
        id=chapter_id,
        story=story,
        position=position,
        title=" ".join(title.split()) or f"Chapter {position}",
        author=author,
        notes=sanitize(notes),
        end_notes=sanitize(end_notes),
        body=body,
        word_count=count_words(body),
        status=status,
        release_at=release_at,
    )
    if chapter_id is not None:
        keep_ids_ahead(Chapter)
    if recount:
        story_recount(story=story, touch=True)
    else:
        story_count_chapters(story=story)
    content_changed()
    return chapter


def _released_chapters(story: Story):
    now = timezone.now()
    return story.chapters.filter(status=Status.PUBLISHED).exclude(release_at__gt=now)


def story_count_chapters(*, story: Story) -> None:
    story.chapter_count = _released_chapters(story).count()
    Story.objects.filter(pk=story.pk).update(chapter_count=story.chapter_count)


def story_recount(*, story: Story, touch: bool = False) -> None:
    """Recount words and chapters from the published chapters; `touch` marks it updated."""
    released = _released_chapters(story)
    story.chapter_count = released.count()
    story.word_count = released.aggregate(w=Sum("word_count"))["w"] or 0
    fields = {"chapter_count": story.chapter_count, "word_count": story.word_count}
    if touch and story.status == Status.PUBLISHED:
        story.updated_at = fields["updated_at"] = timezone.now()
    Story.objects.filter(pk=story.pk).update(**fields)


def story_set_recorded_counts(*, story: Story, word_count: int, read_count: int) -> None:
    """Keep the counts an old archive recorded (until the story is next edited)."""
    story.word_count, story.read_count = word_count, read_count
    Story.objects.filter(pk=story.pk).update(word_count=word_count, read_count=read_count)


@transaction.atomic
def story_delete(*, story: Story) -> None:
    """Remove a story with everything that hangs on it: chapters, credits, tags, its places
    in series, its challenge responses, read marks. The members and tags themselves stay."""
    story.delete()
    content_changed()


@transaction.atomic
def series_create(
    *,
    owner: User,
    title: str,
    summary: str = "",
    openness: str = Series.Openness.CLOSED,
    series_id: int | None = None,
) -> Series:
    series = Series.objects.create(
        id=series_id, owner=owner, title=" ".join(title.split()), summary=sanitize(summary),
        openness=openness,
    )
    if series_id is not None:
        keep_ids_ahead(Series)
    content_changed()
    return series


def series_add(
    *,
    series: Series,
    story: Story | None = None,
    subseries: Series | None = None,
    confirmed: bool = True,
) -> SeriesEntry:
    """Put a story or a sub-series at the end of a series."""
    if (story is None) == (subseries is None):
        raise ValueError("A series entry holds a story or a sub-series, not both.")
    if subseries is not None and _contains(subseries, series):
        raise ValueError("A series cannot contain itself.")
    position = (series.entries.aggregate(p=Max("position"))["p"] or 0) + 1
    entry = SeriesEntry.objects.create(
        series=series, story=story, subseries=subseries, confirmed=confirmed, position=position
    )
    content_changed()
    return entry


def _contains(outer: Series, inner: Series) -> bool:
    if outer.pk == inner.pk:
        return True
    children = Series.objects.filter(parent_entries__series=outer)
    return any(_contains(child, inner) for child in children)


def challenge_create(
    *, title: str, owner: User | None = None, challenger: str = "", summary: str = ""
) -> Challenge:
    challenge = Challenge.objects.create(
        title=" ".join(title.split()), owner=owner, challenger=challenger, summary=sanitize(summary)
    )
    content_changed()
    return challenge

"""Writing many imported stories and chapters at once, their ids kept (an archive's worth)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from fabula.accounts.models import Pseud
from fabula.conf.markup import sanitizer
from fabula.lib.changes import changed
from fabula.lib.db import insert, insert_rows, keep_ids_ahead
from fabula.lib.words import count_words, tidy_title
from fabula.stories.models import (
    Chapter,
    Status,
    Story,
    StoryAuthor,
    StoryTag,
)


def chapters_import(*, chapters: Sequence[Chapter], count: bool = True) -> list[Chapter]:
    """Write many imported chapters at once (a whole archive's worth), keeping their ids.

    Each chapter's body and notes are sanitised and, unless `count` is False (the old archive
    recorded each chapter's word count), its words counted, as `chapter_add` does; the stories'
    chapter counts follow, but their word and read counts stay those the old archive recorded.
    Rows are written in one statement, which an import of thousands of chapters needs; call it
    inside a transaction.
    """
    clean = sanitizer()
    for chapter in chapters:
        chapter.body = clean(chapter.body)
        chapter.notes = clean(chapter.notes)
        chapter.end_notes = clean(chapter.end_notes)
        chapter.title = tidy_title(chapter.title) or f"Chapter {chapter.position}"
        if count or not chapter.word_count:
            chapter.word_count = count_words(chapter.body)
    insert(chapters)
    keep_ids_ahead(Chapter)
    released = Chapter.objects.released().filter(story=OuterRef("pk"))
    Story.objects.filter(pk__in={c.story_id for c in chapters}).update(
        chapter_count=Coalesce(
            Subquery(released.values("story").annotate(n=Count("pk")).values("n")), 0
        )
    )
    changed(chapters=chapters)
    return list(chapters)


@dataclass
class StoryImport:
    """A story to import with `stories_import`: the unsaved row (its id set) and its links."""

    story: Story
    author_ids: Sequence[int]
    tag_ids: Sequence[int] = ()
    challenge_ids: Sequence[int] = ()
    # The pseud each author signs with, by member id; an author not named signs with their
    # default pseud.
    pseud_ids: Mapping[int, int] = field(default_factory=dict)


def stories_import(*, stories: Sequence[StoryImport]) -> list[Story]:
    """Write many imported stories at once with their credits, tags and challenges, as
    `story_create` writes one: titles tidied, summary and notes sanitised. Call it inside a
    transaction."""
    clean = sanitizer()
    for item in stories:
        story = item.story
        if not item.author_ids:
            raise ValueError(f"Story {story.pk} needs at least one author.")
        if story.pk is None:
            raise ValueError("An imported story keeps its id: set it.")
        story.title = tidy_title(story.title)
        if not story.title:
            raise ValueError(f"Story {story.pk} needs a title.")
        story.summary, story.notes = clean(story.summary), clean(story.notes)
        if story.status == Status.PUBLISHED and story.published_at is None:
            story.published_at = timezone.now()
        story.updated_at = story.updated_at or story.published_at
    created = [item.story for item in stories]
    by_story = {item.story.pk: item.pseud_ids for item in stories}
    insert(created)
    keep_ids_ahead(Story)
    defaults = dict(
        Pseud.objects.filter(
            user_id__in={pk for item in stories for pk in item.author_ids}, is_default=True
        ).values_list("user_id", "pk")
    )
    insert_rows(
        StoryAuthor,
        ("story", "user", "position", "pseud"),
        [
            (story_id, user_id, position, by_story[story_id].get(user_id) or defaults[user_id])
            for story_id, user_id, position in _in_order(stories, lambda s: s.author_ids)
        ],
    )
    insert_rows(StoryTag, ("story", "tag", "position"), _in_order(stories, lambda s: s.tag_ids))
    insert_rows(
        Story.challenges.through,
        ("story", "challenge"),
        [
            (item.story.pk, challenge_id)
            for item in stories
            for challenge_id in dict.fromkeys(item.challenge_ids)
        ],
    )
    changed(stories=created)
    return created


def _in_order(
    stories: Sequence[StoryImport], ids_of: Callable[[StoryImport], Sequence[int]]
) -> list[tuple[int, int, int]]:
    """(story, id, position) rows: each story's ids in their order, a repeated id dropped."""
    return [
        (item.story.pk, pk, position)
        for item in stories
        for position, pk in enumerate(dict.fromkeys(ids_of(item)))
    ]

"""Keeping the search index in step with the archive.

The actions that change content call one of `story_changed`, `chapter_changed` or
`story_removed`. The work waits for the transaction to commit (`transaction.on_commit`): an
import that adds twenty chapters in one transaction indexes them together, at the end, and a
write that rolls back leaves the index alone. `rebuild` writes the whole index again
(`fabula reindex`).

The index holds a row per published chapter, scheduled ones included (the search hides those
until their release time), whatever the story's status: who may see a story is decided when
searching, by `permissions.listed_stories`, so publishing or hiding a story needs no re-index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Prefetch

from fabula.lib.html import html_to_plain
from fabula.search.backends import MARK_END, MARK_START, backend
from fabula.stories.models import Chapter, SeriesEntry, Status, Story, StoryAuthor, StoryTag

BATCH = 200  # stories per transaction when rebuilding


@dataclass
class Document:
    """One row of the index: a chapter's text beside its story's fields, all plain text."""

    chapter_id: int
    story_id: int
    position: int
    release_at: datetime | None
    title: str
    author: str
    summary: str
    tags: str
    body: str


def _plain(html: str) -> str:
    # The snippet marks must never occur in the text itself; nor may NUL, which PostgreSQL refuses.
    text = html_to_plain(html) if html else ""
    return text.replace(MARK_START, " ").replace(MARK_END, " ").replace("\x00", " ")


def _stories_with_fields(story_ids: Iterable[int]):
    """The stories with what their documents need, in a fixed number of queries."""
    return Story.objects.filter(pk__in=list(story_ids)).prefetch_related(
        Prefetch("credits", queryset=StoryAuthor.objects.select_related("user")),
        Prefetch("story_tags", queryset=StoryTag.objects.select_related("tag__synonym_of")),
        Prefetch(
            "series_entries",
            queryset=SeriesEntry.objects.filter(confirmed=True).select_related("series"),
        ),
    )


def _story_fields(story: Story, chapter_authors: Iterable[str] = ()) -> dict[str, str]:
    authors = [credit.user.pen_name for credit in story.credits.all()]
    tags = []
    for story_tag in story.story_tags.all():
        tags.append(story_tag.tag.name)
        if story_tag.tag.synonym_of_id:  # a synonym is found by its canonical name too
            tags.append(story_tag.tag.synonym_of.name)
    series = [entry.series.title for entry in story.series_entries.all()]
    return {
        "title": _plain(story.title),
        "author": " ; ".join(dict.fromkeys([*authors, *chapter_authors])),
        "summary": "\n".join(
            filter(None, [_plain(story.summary), _plain(story.notes), *map(_plain, series)])
        ),
        "tags": " ; ".join(tags),
    }


def _chapters(story_ids: list[int], chapter_ids: list[int] | None = None):
    chapters = Chapter.objects.filter(story_id__in=story_ids, status=Status.PUBLISHED)
    if chapter_ids is not None:
        chapters = chapters.filter(pk__in=chapter_ids)
    return chapters.select_related("author").order_by("story_id", "position")


def documents_for(story_ids: list[int], chapter_ids: list[int] | None = None) -> list[Document]:
    """The index rows of these stories (of only these chapters, if given)."""
    by_story: dict[int, list[Chapter]] = {}
    for chapter in _chapters(story_ids, chapter_ids):
        by_story.setdefault(chapter.story_id, []).append(chapter)
    # The story's fields name the authors of all its chapters, not only of those written now.
    chapter_authors: dict[int, list[str]] = {}
    if chapter_ids is None:
        for story_id, chapters in by_story.items():
            chapter_authors[story_id] = [chapter.author.pen_name for chapter in chapters]
    else:
        for story_id, pen_name in _chapters(list(by_story)).values_list("story_id", "author__pen_name"):
            chapter_authors.setdefault(story_id, []).append(pen_name)
    documents = []
    for story in _stories_with_fields(by_story):
        chapters = by_story[story.pk]
        fields = _story_fields(story, chapter_authors[story.pk])
        for chapter in chapters:
            body = "\n".join(filter(None, [
                _plain(chapter.title), _plain(chapter.notes), _plain(chapter.body),
                _plain(chapter.end_notes),
            ]))
            documents.append(Document(
                chapter_id=chapter.pk, story_id=story.pk, position=chapter.position,
                release_at=chapter.release_at, body=body, **fields,
            ))
    return documents


# ---------------------------------------------------------------------------------------------
# Immediate work


def index_stories(story_ids: list[int]) -> None:
    """Write these stories' rows again, from what the database holds now."""
    engine = backend()
    engine.delete_stories(story_ids)
    engine.write(documents_for(story_ids))


def index_chapters(chapter_ids: list[int]) -> None:
    """Write these chapters' rows again (a chapter no longer published loses its row)."""
    engine = backend()
    story_ids = list(Chapter.objects.filter(pk__in=chapter_ids).values_list("story_id", flat=True))
    engine.delete_chapters(chapter_ids)
    engine.write(documents_for(story_ids, chapter_ids))


def remove_stories(story_ids: list[int]) -> None:
    backend().delete_stories(story_ids)


def rebuild(progress: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Write the whole index again; returns the number of chapters indexed."""
    engine = backend()
    story_ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        engine.clear()
    written = 0
    for start in range(0, len(story_ids), BATCH):
        batch = story_ids[start:start + BATCH]
        with transaction.atomic():
            documents = documents_for(batch)
            engine.write(documents)
        written += len(documents)
        progress(min(start + BATCH, len(story_ids)), len(story_ids))
    engine.optimize()
    return written


# ---------------------------------------------------------------------------------------------
# Hooks for the actions: the work waits for the commit


@dataclass
class _Pending:
    """The index work of one transaction, done once when it commits."""

    stories: set[int]
    chapters: set[int]
    removed: set[int]
    done: bool = False

    def flush(self) -> None:
        self.done = True
        # A story "removed" inside a savepoint that was rolled back still exists: keep its rows.
        removed = self.removed - set(
            Story.objects.filter(pk__in=self.removed).values_list("pk", flat=True)
        ) if self.removed else set()
        stories = self.stories - removed
        chapters = set(self.chapters)
        if not (removed or stories or chapters):
            return
        with transaction.atomic():
            if removed:
                remove_stories(sorted(removed))
            if stories:
                index_stories(sorted(stories))
            covered = set(
                Chapter.objects.filter(pk__in=chapters, story_id__in=stories | removed)
                .values_list("pk", flat=True)
            ) if chapters and (stories or removed) else set()
            if chapters - covered:
                index_chapters(sorted(chapters - covered))


def _record(stories: Iterable[int] = (), chapters: Iterable[int] = (), removed: Iterable[int] = ()) -> None:
    """Note index work for the commit of the current transaction (at once outside one).

    The work of a transaction is gathered in one `_Pending` whose `flush` is queued with
    `transaction.on_commit`: an import that adds twenty chapters indexes them together, and a
    transaction that rolls back takes its queued flush, and so its work, with it. `robust`: a
    failing index (logged) must not turn a committed write into an error page; `fabula reindex`
    puts the index right.
    """
    pending = getattr(connection, "_fabula_search_pending", None)
    queued = pending is not None and not pending.done and any(
        entry[1] == pending.flush for entry in connection.run_on_commit
    )
    if not queued:
        pending = connection._fabula_search_pending = _Pending(set(), set(), set())
    pending.stories.update(stories)
    pending.chapters.update(chapters)
    pending.removed.update(removed)
    if not queued:
        transaction.on_commit(pending.flush, robust=True)


def _id(item) -> int:
    return item if isinstance(item, int) else item.pk


def story_changed(story: Story | int) -> None:
    """The story's fields, tags, authors, series or chapters changed: index it again."""
    _record(stories=[_id(story)])


def chapter_changed(chapter: Chapter | int) -> None:
    """One chapter was added, edited, published or withdrawn: index only that one."""
    _record(chapters=[_id(chapter)])


def story_removed(story: Story | int) -> None:
    """The story is gone (call with its id, taken before deleting)."""
    _record(removed=[_id(story)])


def chapters_changed(chapters: Iterable[Chapter | int]) -> None:
    """Many chapters at once (an import)."""
    _record(chapters=[_id(chapter) for chapter in chapters])


def series_changed(series) -> None:
    """A series' title or stories changed: its stories carry its title in their rows."""
    from fabula.stories.models import SeriesEntry

    _record(stories=SeriesEntry.objects.filter(series=series, story__isnull=False).values_list(
        "story_id", flat=True
    ))

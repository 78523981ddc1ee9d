"""Keeping the search index in step with the archive.

The actions that change content call one of `story_changed`, `chapter_changed` or
`story_removed`. The work waits for the transaction to commit (`transaction.on_commit`): an
import that adds twenty chapters in one transaction indexes each chapter once, at the end, and a
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
    documents = []
    for story in _stories_with_fields(by_story):
        chapters = by_story[story.pk]
        fields = _story_fields(story, (c.author.pen_name for c in chapters))
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
    stories: set[int]
    chapters: set[int]
    removed: set[int]


def _pending() -> _Pending:
    # Kept on the connection: each thread has its own, as each has its own transaction.
    pending = getattr(connection, "_fabula_search_pending", None)
    if pending is None:
        pending = connection._fabula_search_pending = _Pending(set(), set(), set())
    return pending


def _defer() -> None:
    # Several callbacks may be queued in one transaction: the first does all the work and the
    # others find nothing left. Work left by a rolled-back transaction is done at the next
    # commit; it only re-reads what the database holds, so that is harmless. `robust`: a failing
    # index (logged) must not turn a write that is already committed into an error page;
    # `fabula reindex` puts the index right.
    transaction.on_commit(flush, robust=True)


def flush() -> None:
    """Do the index work the hooks recorded."""
    pending = _pending()
    removed, stories = set(pending.removed), set(pending.stories) - set(pending.removed)
    chapters = set(pending.chapters)
    pending.removed.clear(), pending.stories.clear(), pending.chapters.clear()
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


def story_changed(story: Story | int) -> None:
    """The story's fields, tags, authors, series or chapters changed: index it again."""
    _pending().stories.add(story if isinstance(story, int) else story.pk)
    _defer()


def chapter_changed(chapter: Chapter | int) -> None:
    """One chapter was added, edited, published or withdrawn: index only that one."""
    _pending().chapters.add(chapter if isinstance(chapter, int) else chapter.pk)
    _defer()


def story_removed(story: Story | int) -> None:
    """The story is gone (call with its id, taken before deleting)."""
    _pending().removed.add(story if isinstance(story, int) else story.pk)
    _defer()


def chapters_changed(chapters: Iterable[Chapter | int]) -> None:
    """Many chapters at once (an import)."""
    _pending().chapters.update(c if isinstance(c, int) else c.pk for c in chapters)
    _defer()


def series_changed(series) -> None:
    """A series' title or stories changed: its stories carry its title in their rows."""
    from fabula.stories.models import SeriesEntry

    _pending().stories.update(
        SeriesEntry.objects.filter(series=series, story__isnull=False).values_list("story_id", flat=True)
    )
    _defer()

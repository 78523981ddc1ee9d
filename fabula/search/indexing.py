"""Keeping the search index in step with the archive.

The actions that change content say what they changed with `lib.changes.changed(...)`; this
app listens (`follow`, registered in `SearchConfig.ready()`). The work waits for the transaction
to commit (`transaction.on_commit`): a write that adds twenty chapters in one transaction indexes
them together, at the end, and a write that rolls back leaves the index alone. An import pauses
this (`paused`) and indexes its stories afterwards with `index_stories`, a batch at a time.
`rebuild` writes the whole index again (`fabula reindex`).

The index holds a row per published chapter, scheduled ones included (the search hides those
until their release time), whatever the story's status: who may see a story is decided when
searching, by `permissions.listed_stories`. For guests, the most searches, each row also keeps
what a guest may know of its story (`Sight`): whether the story is open to guests but for its
rating, and its rating, whose gate is asked when searching. Publishing, hiding or locking a
story names it as changed, which writes its rows again; a chapter named alone has its story's
sight written on all its rows (`index_chapters`), as a chapter can make a story public.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from fabula.lib.changes import Change
from fabula.lib.db import id_list
from fabula.lib.html import html_to_plain
from fabula.search.backends import backend
from fabula.search.backends.base import MARK_END, MARK_START, Sight
from fabula.stories.models import Chapter, SeriesEntry, Story, StoryAuthor, StoryTag
from fabula.stories.permissions import signed, unlocked_stories
from fabula.taxonomy.models import Tag
from fabula.taxonomy.selectors import tags_counted_under

BATCH = 500  # stories per transaction when indexing many (rebuild, an import)
ANONYMOUS = "Anonymous"  # the author field of a story in an anonymous collection


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
    sight: Sight


def sights(story_ids: list[int]) -> dict[int, Sight]:
    """The sight of each of these stories, as the archive holds them now."""
    stories = Story.objects.filter(pk__in=id_list(story_ids))
    opened = set(unlocked_stories(stories.public()).values_list("pk", flat=True))
    return {
        pk: Sight(pk in opened, rating_id)
        for pk, rating_id in stories.values_list("pk", "rating_id")
    }


def _plain(html: str) -> str:
    # The snippet marks must never occur in the text itself; nor may NUL, which PostgreSQL refuses.
    text = html_to_plain(html) if html else ""
    return text.replace(MARK_START, " ").replace(MARK_END, " ").replace("\x00", " ")


def _story_fields(story_ids: list[int]) -> dict[int, tuple[list[str], dict[str, str]]]:
    """Each story's credited authors (its chapters' authors join them) and its other fields, in
    a fixed number of queries of plain values (an import indexes thousands of stories: model
    instances would cost more than the rest)."""
    authors: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    series: dict[int, list[str]] = defaultdict(list)
    # `author:` finds the pseud a story is signed with, and the account's pen name (the
    # account's page names all its pseuds, so this tells nothing it does not). A story signed
    # "Anonymous" is found by that name only, until the reveal indexes it again.
    named = signed(Story.objects.filter(pk__in=story_ids)).values("pk")
    credits = StoryAuthor.objects.filter(story__in=named)
    for story_id, pseud, pen_name in credits.values_list(
        "story_id", "pseud__name", "user__pen_name"
    ):
        authors[story_id].extend(dict.fromkeys([pseud, pen_name]))
    unsigned = Story.objects.filter(pk__in=story_ids).exclude(pk__in=named)
    for story_id in unsigned.values_list("pk", flat=True):
        authors[story_id].append(ANONYMOUS)
    # A story is found by the name of every tag its tags count as (`tags_counted_under`: their
    # canonical tags, those tags' parents of their kind and all their synonyms), so `tag:` finds
    # what the tag filter finds. A wrangling change names the tags it touched and the stories
    # filed under them are indexed again (`follow`).
    filings = list(
        StoryTag.objects.filter(story_id__in=story_ids).values_list("story_id", "tag_id")
    )
    counted_under = tags_counted_under({tag_id for _, tag_id in filings})
    names = dict(
        Tag.objects.filter(
            pk__in=id_list({pk for under in counted_under.values() for pk in under})
        ).values_list("pk", "name")
    )
    for story_id, tag_id in filings:
        tags[story_id].extend(names[pk] for pk in counted_under.get(tag_id, ()) if pk in names)
    entries = SeriesEntry.objects.filter(story_id__in=story_ids, confirmed=True)
    for story_id, title in entries.values_list("story_id", "series__title"):
        series[story_id].append(title)
    return {
        pk: (
            authors[pk],
            {
                "title": _plain(title),
                "summary": "\n".join(
                    filter(None, [_plain(summary), _plain(notes), *map(_plain, series[pk])])
                ),
                "tags": " ; ".join(sorted(set(tags[pk]))),
            },
        )
        for pk, title, summary, notes in Story.objects.filter(pk__in=story_ids).values_list(
            "pk", "title", "summary", "notes"
        )
    }


def _chapters(story_ids: list[int], chapter_ids: list[int] | None = None):
    chapters = Chapter.objects.published().filter(story_id__in=story_ids)
    if chapter_ids is not None:
        chapters = chapters.filter(pk__in=chapter_ids)
    return chapters.order_by("story_id", "position").values_list(
        "pk",
        "story_id",
        "position",
        "release_at",
        "title",
        "notes",
        "body",
        "end_notes",
        "author__pen_name",
    )


def documents_for(
    story_ids: list[int],
    chapter_ids: list[int] | None = None,
    sight: dict[int, Sight] | None = None,
) -> list[Document]:
    """The index rows of these stories (of only these chapters, if given); `sight`: their
    stories' `sights`, when the caller has read them already."""
    by_story: dict[int, list[tuple]] = defaultdict(list)
    for chapter in _chapters(story_ids, chapter_ids):
        by_story[chapter[1]].append(chapter)
    # The story's fields name the authors of all its chapters, not only of those written now.
    chapter_authors: dict[int, list[str]] = defaultdict(list)
    if chapter_ids is None:
        for story_id, chapters in by_story.items():
            chapter_authors[story_id] = [chapter[8] for chapter in chapters]
    else:
        published = Chapter.objects.published().filter(story_id__in=list(by_story))
        for story_id, pen_name in published.values_list("story_id", "author__pen_name"):
            chapter_authors[story_id].append(pen_name)
    documents = []
    if sight is None:
        sight = sights(list(by_story))
    for story_id, (authors, fields) in _story_fields(list(by_story)).items():
        chapters = by_story[story_id]
        named = authors if ANONYMOUS in authors else [*authors, *chapter_authors[story_id]]
        author = " ; ".join(dict.fromkeys(named))
        for pk, _, position, release_at, title, notes, body, end_notes, _ in chapters:
            text = "\n".join(
                filter(None, [_plain(title), _plain(notes), _plain(body), _plain(end_notes)])
            )
            documents.append(
                Document(
                    chapter_id=pk,
                    story_id=story_id,
                    position=position,
                    release_at=release_at,
                    body=text,
                    author=author,
                    sight=sight[story_id],
                    **fields,
                )
            )
    return documents


# ---------------------------------------------------------------------------------------------
# Immediate work


def index_stories(story_ids: list[int]) -> int:
    """Write these stories' rows again, from what the database holds now; returns how many."""
    engine = backend()
    engine.delete_stories(story_ids)
    documents = documents_for(story_ids)
    engine.write(documents)
    return len(documents)


def index_chapters(chapter_ids: list[int]) -> None:
    """Write these chapters' rows again (a chapter no longer published loses its row), and
    their stories' sight on all their rows: publishing, hiding or releasing a chapter can make
    its story public or not."""
    engine = backend()
    story_ids = list(Chapter.objects.filter(pk__in=chapter_ids).values_list("story_id", flat=True))
    engine.delete_chapters(chapter_ids)
    sight = sights(story_ids)  # read once: for the rows written and all the stories' others
    engine.write(documents_for(story_ids, chapter_ids, sight))
    engine.set_sights(sight)


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
        batch = story_ids[start : start + BATCH]
        with transaction.atomic():
            documents = documents_for(batch)
            engine.write(documents)
        written += len(documents)
        progress(min(start + BATCH, len(story_ids)), len(story_ids))
    optimize()
    return written


def optimize() -> None:
    """Tidy the index after writing much of it (merge FTS5's segments, update the statistics)."""
    backend().optimize()


# ---------------------------------------------------------------------------------------------
# Following the actions' changes: the work waits for the commit


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
        removed = (
            self.removed
            - set(Story.objects.filter(pk__in=self.removed).values_list("pk", flat=True))
            if self.removed
            else set()
        )
        stories = self.stories - removed
        chapters = set(self.chapters)
        if not (removed or stories or chapters):
            return
        with transaction.atomic():
            if removed:
                remove_stories(sorted(removed))
            if stories:
                index_stories(sorted(stories))
            covered = (
                set(
                    Chapter.objects.filter(
                        pk__in=chapters, story_id__in=stories | removed
                    ).values_list("pk", flat=True)
                )
                if chapters and (stories or removed)
                else set()
            )
            if chapters - covered:
                index_chapters(sorted(chapters - covered))


@contextmanager
def paused() -> Iterator[None]:
    """The hooks do nothing meanwhile (on this connection): for an import, which writes whole
    stories by the thousand and indexes them at the end in one pass (`index_stories` by batches);
    indexing each batch of chapters as it commits would cost it far more."""
    before = getattr(connection, "_fabula_search_paused", False)
    # The connection wrapper carries the flag (one per thread, as connections are); the stubs
    # do not know attributes set on it.
    connection._fabula_search_paused = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        connection._fabula_search_paused = before  # type: ignore[attr-defined]


def _record(
    stories: Iterable[int] = (), chapters: Iterable[int] = (), removed: Iterable[int] = ()
) -> None:
    """Note index work for the commit of the current transaction (at once outside one).

    The work of a transaction is gathered in one `_Pending` whose `flush` is queued with
    `transaction.on_commit`: an import that adds twenty chapters indexes them together, and a
    transaction that rolls back takes its queued flush, and so its work, with it. `robust`: a
    failing index (logged) must not turn a committed write into an error page; `fabula reindex`
    puts the index right.
    """
    if getattr(connection, "_fabula_search_paused", False):
        return
    pending: _Pending | None = getattr(connection, "_fabula_search_pending", None)
    queued = (
        pending is not None
        and not pending.done
        and any(entry[1] == pending.flush for entry in connection.run_on_commit)
    )
    if pending is None or not queued:
        pending = _Pending(set(), set(), set())
        # Kept on the connection wrapper, as `paused` keeps its flag (the stubs do not know it).
        connection._fabula_search_pending = pending  # type: ignore[attr-defined]
    pending.stories.update(stories)
    pending.chapters.update(chapters)
    pending.removed.update(removed)
    if not queued:
        transaction.on_commit(pending.flush, robust=True)


def follow(change: Change) -> None:
    """Index again what an action says it changed (`lib.changes`; the search app listens from
    `ready()`). A series carries its title into its stories' rows, so they follow it."""
    in_series = (
        SeriesEntry.objects.filter(series__in=change.series, story__isnull=False).values_list(
            "story_id", flat=True
        )
        if change.series
        else []
    )
    # A wrangled tag changes what its stories are found by (and those of every tag counting
    # as it: the action names them all).
    tagged = (
        StoryTag.objects.filter(tag_id__in=id_list(change.tags)).values_list("story_id", flat=True)
        if change.tags
        else []
    )
    _record(
        stories=[*change.stories, *in_series, *tagged],
        chapters=change.chapters,
        removed=change.removed_stories,
    )

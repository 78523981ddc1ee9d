"""Writing chapters: add, post, edit, delete, reorder, schedule and release them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fabula.accounts.models import User
from fabula.conf.markup import sanitize
from fabula.conf.models import site_settings
from fabula.jobs.runner import enqueue
from fabula.lib.changes import changed
from fabula.lib.db import keep_ids_ahead
from fabula.lib.refusals import ActionRefused
from fabula.lib.words import count_words, tidy_title
from fabula.stories.actions.stories import (
    audit_staff_change,
    status_for_new_work,
    story_count_chapters,
    story_recount,
)
from fabula.stories.models import (
    Chapter,
    Status,
    Story,
)

# A scheduled chapter released longer ago than this (the worker was stopped) is old news.
ANNOUNCE_WITHIN = timedelta(days=2)


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
        credit = story.credits.select_related("user").first()
        if credit is None:
            raise ActionRefused(_("The story has no author to credit the chapter to."))
        author = credit.user
    if position is None:
        position = (story.chapters.aggregate(p=Max("position"))["p"] or 0) + 1
    body = sanitize(body)
    chapter = Chapter.objects.create(
        id=chapter_id,
        story=story,
        position=position,
        title=tidy_title(title) or f"Chapter {position}",
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
    announce_when_committed(chapter)
    changed(chapter=chapter)
    return chapter


def announce_when_committed(chapter: Chapter) -> None:
    """Followers hear of a chapter once it is committed, if it is public by then: the job
    `announce-chapter`, which the community app registers (asked for by name, so this app does
    not import that one). Scheduled chapters are announced when `fabula worker` releases them."""
    # Its status may still change before the commit (a new story's first chapter is a draft
    # until `story_submit`), so the job, not this function, checks it is public.
    if chapter.release_at is not None and chapter.release_at > timezone.now():
        return
    enqueue("announce-chapter", chapter_id=chapter.pk)


def check_chapter_size(body: str) -> None:
    """The one measure of a chapter's size: its text as stored (HTML, markup included), which
    the form's message and this action's refusal both count."""
    limit = site_settings().max_chapter_characters
    if len(body) > limit:
        raise ActionRefused(
            _(
                "This chapter has %(length)s characters with its HTML markup; the archive takes "
                "at most %(limit)s."
            )
            % {"length": f"{len(body):,}", "limit": f"{limit:,}"}
        )


@transaction.atomic
def chapter_post(
    *,
    story: Story,
    by: User,
    title: str,
    body: str,
    notes: str = "",
    end_notes: str = "",
    release_at: datetime | None = None,
) -> Chapter:
    """An author adds a chapter. On a draft story it is a draft too; on a public story it is
    published, or waits for validation if the author's work does. Staff adding one to someone
    else's story are audited."""
    check_chapter_size(body)
    if not sanitize(body).strip():
        raise ActionRefused(_("A chapter needs some text."))
    status = Status.DRAFT if story.status == Status.DRAFT else status_for_new_work(by)
    if story.status == Status.PENDING:
        status = Status.PENDING
    chapter = chapter_add(
        story=story,
        title=title,
        body=body,
        author=by,
        notes=notes,
        end_notes=end_notes,
        status=status,
        release_at=release_at,
    )
    audit_staff_change(by=by, story=story, action="add chapter")
    return chapter


@transaction.atomic
def chapter_update(
    *,
    chapter: Chapter,
    title: str,
    body: str,
    notes: str = "",
    end_notes: str = "",
    by: User | None = None,
) -> Chapter:
    """Change a chapter's title, text and notes; `by`: who did it (staff are audited)."""
    check_chapter_size(body)
    clean = sanitize(body)
    if not clean.strip():
        raise ActionRefused(_("A chapter needs some text."))
    chapter.title = tidy_title(title) or f"Chapter {chapter.position}"
    chapter.body = clean
    chapter.notes = sanitize(notes)
    chapter.end_notes = sanitize(end_notes)
    chapter.word_count = count_words(clean)
    chapter.updated_at = timezone.now()
    chapter.save()
    story_recount(story=chapter.story, touch=True)
    audit_staff_change(by=by, story=chapter.story, action="edit chapter")
    changed(chapter=chapter)
    return chapter


@transaction.atomic
def chapter_delete(*, chapter: Chapter, by: User | None = None) -> None:
    """Remove a chapter; the ones after it move up a place. `by`: who did it (staff are
    audited)."""
    story = chapter.story
    if story.chapters.count() == 1:
        raise ActionRefused(_("A story keeps at least one chapter: delete the story instead."))
    chapter.delete()
    _renumber(story, [c.pk for c in story.chapters.order_by("position")])
    story_recount(story=story, touch=True)
    audit_staff_change(by=by, story=story, action="delete chapter")
    changed(story=story)


def _renumber(story: Story, ordered_ids: Sequence[int]) -> None:
    # Positions are unique per story, so move every chapter out of the way first.
    chapters = story.chapters.all()
    offset = (chapters.aggregate(p=Max("position"))["p"] or 0) + 1
    for chapter in chapters:
        Chapter.objects.filter(pk=chapter.pk).update(position=chapter.position + offset)
    for position, chapter_id in enumerate(ordered_ids, start=1):
        Chapter.objects.filter(pk=chapter_id).update(position=position)


@transaction.atomic
def chapter_reorder(*, story: Story, order: Sequence[int], by: User | None = None) -> None:
    """Put the story's chapters in the order of `order` (chapter ids, each exactly once).
    `by`: who did it (staff are audited)."""
    current = set(story.chapters.values_list("pk", flat=True))
    if len(order) != len(current) or set(order) != current:
        raise ActionRefused(_("Give every chapter of the story exactly once."))
    _renumber(story, list(order))
    story_recount(story=story, touch=True)
    audit_staff_change(by=by, story=story, action="reorder chapters")
    changed(story=story)


@transaction.atomic
def chapter_schedule(
    *, chapter: Chapter, release_at: datetime | None, by: User | None = None
) -> None:
    """Hold a chapter back until `release_at` (None: release it now). `by`: who did it (staff
    are audited)."""
    if release_at is not None and release_at <= timezone.now():
        raise ActionRefused(_("Choose a time in the future, or release the chapter now."))
    chapter.release_at = release_at
    chapter.save(update_fields=["release_at"])
    story_recount(story=chapter.story, touch=release_at is None)
    audit_staff_change(by=by, story=chapter.story, action="schedule chapter")
    changed(chapter=chapter)


def release_due_chapters() -> int:
    """Release scheduled chapters whose time has come, and have their followers told; returns
    how many. `fabula worker` calls this on every round (registered in `apps.py`). Readers can
    already open a due chapter; this brings the counts, the 'updated' date and the lists up to
    date, and announces the chapter (unless it was released long ago: old news)."""
    now = timezone.now()
    due = Chapter.objects.due(now)
    released: list[int] = []
    for story_id in set(due.values_list("story_id", flat=True)):
        with transaction.atomic():
            of_story = due.filter(story_id=story_id)
            news = list(
                of_story.released(now)
                .filter(release_at__gt=now - ANNOUNCE_WITHIN)
                .values_list("pk", flat=True)
            )
            chapter_ids = list(of_story.values_list("pk", flat=True))
            Chapter.objects.filter(pk__in=chapter_ids).update(release_at=None)
            story = Story.objects.get(pk=story_id)
            story_recount(story=story, touch=True)
            for chapter_id in news:
                enqueue("announce-chapter", chapter_id=chapter_id, once=True)
            released += chapter_ids
    if released:
        # Named: a story's first chapter released makes the story public (`search.indexing`).
        changed(chapters=released)
    return len(released)


# ---------------------------------------------------------------------------------------------
# Co-authors

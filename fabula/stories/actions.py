"""Every write to stories, chapters, series and challenges.

Views, commands, importers and the API call these functions; they never save the models
themselves. Each action keeps the derived counts (words, chapters) and retires cached pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from fabula.accounts.models import User
from fabula.lib.db import insert, insert_rows, keep_ids_ahead
from fabula.lib.html import sanitize, sanitizer
from fabula.lib.pagecache import content_changed
from fabula.lib.words import count_words
from fabula.search import indexing as search_index
from fabula.stories.models import (
    Challenge,
    Chapter,
    CoauthorInvite,
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
    search_index.story_changed(story)
    content_changed()
    return story


def story_set_tags(*, story: Story, tags: Sequence[Tag]) -> None:
    """Replace the story's tags, keeping the order given."""
    StoryTag.objects.filter(story=story).delete()
    unique = list(dict.fromkeys(tags))
    StoryTag.objects.bulk_create(
        StoryTag(story=story, tag=tag, position=i) for i, tag in enumerate(unique)
    )
    search_index.story_changed(story)
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
    search_index.chapter_changed(chapter)
    _announce_when_committed(chapter)
    content_changed()
    return chapter


def _announce_when_committed(chapter: Chapter) -> None:
    """Followers hear of a chapter once it is committed, if it is public by then (scheduled
    chapters are announced when their time comes, by `fabula send-digests`)."""
    from fabula.community.notifications import chapter_released

    def announce() -> None:
        committed = Chapter.objects.select_related("story").filter(pk=chapter.pk).first()
        if committed is not None:
            chapter_released(committed)

    transaction.on_commit(announce)


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
        chapter.title = " ".join(chapter.title.split()) or f"Chapter {chapter.position}"
        if count or not chapter.word_count:
            chapter.word_count = count_words(chapter.body)
    insert(chapters)
    keep_ids_ahead(Chapter)
    released = Chapter.objects.filter(story=OuterRef("pk"), status=Status.PUBLISHED).exclude(
        release_at__gt=timezone.now()
    )
    Story.objects.filter(pk__in={c.story_id for c in chapters}).update(
        chapter_count=Coalesce(
            Subquery(released.values("story").annotate(n=Count("pk")).values("n")), 0
        )
    )
    search_index.chapters_changed(chapters)
    content_changed()
    return list(chapters)


@dataclass
class StoryImport:
    """A story to import with `stories_import`: the unsaved row (its id set) and its links."""

    story: Story
    author_ids: Sequence[int]
    tag_ids: Sequence[int] = ()
    challenge_ids: Sequence[int] = ()


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
        story.title = " ".join(story.title.split())
        if not story.title:
            raise ValueError(f"Story {story.pk} needs a title.")
        story.summary, story.notes = clean(story.summary), clean(story.notes)
        if story.status == Status.PUBLISHED and story.published_at is None:
            story.published_at = timezone.now()
        story.updated_at = story.updated_at or story.published_at
    created = [item.story for item in stories]
    insert(created)
    keep_ids_ahead(Story)
    insert_rows(
        StoryAuthor,
        ("story", "user", "position"),
        [
            (item.story.pk, user_id, i)
            for item in stories
            for i, user_id in enumerate(dict.fromkeys(item.author_ids))
        ],
    )
    insert_rows(
        StoryTag,
        ("story", "tag", "position"),
        [
            (item.story.pk, tag_id, i)
            for item in stories
            for i, tag_id in enumerate(dict.fromkeys(item.tag_ids))
        ],
    )
    insert_rows(
        Story.challenges.through,
        ("story", "challenge"),
        [
            (item.story.pk, challenge_id)
            for item in stories
            for challenge_id in dict.fromkeys(item.challenge_ids)
        ],
    )
    for story in created:
        search_index.story_changed(story)
    content_changed()
    return created


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
    search_index.story_removed(story.pk)
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
        id=series_id,
        owner=owner,
        title=" ".join(title.split()),
        summary=sanitize(summary),
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
    search_index.series_changed(series)
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


# ---------------------------------------------------------------------------------------------
# Authors at work: posting, editing, chapters, scheduling. Views check permissions first.


class ActionRefused(ValueError):
    """The action cannot be done as asked; the message is meant for the member."""


def check_chapter_size(body: str) -> None:
    from fabula.conf.models import site_settings

    limit = site_settings().max_chapter_characters
    if len(body) > limit:
        raise ActionRefused(
            f"This chapter has {len(body):,} characters; the archive takes at most {limit:,}."
        )


def _clean_title(title: str, what: str = "story") -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ActionRefused(f"A {what} needs a title.")
    return title


def _status_for_new_work(by: User) -> str:
    from fabula.stories.permissions import needs_validation

    return Status.PENDING if needs_validation(by) else Status.PUBLISHED


@transaction.atomic
def story_update(
    *,
    story: Story,
    title: str,
    rating: Rating,
    summary: str = "",
    notes: str = "",
    tags: Sequence[Tag] = (),
    completed: bool = False,
    challenges: Sequence[Challenge] | None = None,
) -> Story:
    """Change what describes a story, and which challenges it answers (left as they are when
    None). Its chapters and status stay as they are."""
    story.title = _clean_title(title)
    story.rating = rating
    story.summary = sanitize(summary)
    story.notes = sanitize(notes)
    story.completed = completed
    story.save(update_fields=["title", "rating", "summary", "notes", "completed"])
    story_set_tags(story=story, tags=tags)
    if challenges is not None:
        story.challenges.set(challenges)
    story_recount(story=story, touch=True)  # an edited story counts its words the new way
    search_index.story_changed(story)
    content_changed()
    return story


@transaction.atomic
def story_submit(*, story: Story, by: User) -> str:
    """Take a draft (or a story sent back) out of the drawer: it is published at once for
    trusted authors, staff and archives that auto-validate, and waits for staff otherwise.
    Its draft chapters follow it. Returns the new status."""
    if story.status not in (Status.DRAFT, Status.PENDING):
        return story.status
    status = _status_for_new_work(by)
    story.status = status
    story.moderation_note = ""
    fields = ["status", "moderation_note"]
    if status == Status.PUBLISHED:
        story.published_at = story.published_at or timezone.now()
        fields.append("published_at")
    story.save(update_fields=fields)
    story.chapters.filter(status__in=[Status.DRAFT, Status.PENDING]).update(status=status)
    story_recount(story=story, touch=True)
    search_index.story_changed(story)
    content_changed()
    return status


@transaction.atomic
def story_validate(*, story: Story, moderator: User) -> None:
    """Staff accept a story waiting in the queue: it and its waiting chapters go public."""
    from fabula.accounts.emails import notify
    from fabula.moderation.audit import record

    story.status = Status.PUBLISHED
    story.moderation_note = ""
    story.published_at = story.published_at or timezone.now()
    story.save(update_fields=["status", "moderation_note", "published_at"])
    story.chapters.filter(status=Status.PENDING).update(status=Status.PUBLISHED)
    story_recount(story=story, touch=True)
    record(actor=moderator, action="validate", target=story)
    for credit in story.credits.select_related("user"):
        notify(
            credit.user,
            f"Your story “{story.title}” is published",
            f"{moderator.pen_name} validated your story “{story.title}”. Readers can now "
            "find it in the archive.",
        )
    search_index.story_changed(story)
    content_changed()


@transaction.atomic
def story_reject(*, story: Story, moderator: User, reason: str) -> None:
    """Staff send a story back to its authors as a draft, with the reason."""
    from fabula.accounts.emails import notify
    from fabula.moderation.audit import record

    reason = reason.strip()
    if not reason:
        raise ActionRefused("Say why the story is sent back: its authors will read it.")
    story.status = Status.DRAFT
    story.moderation_note = reason
    story.save(update_fields=["status", "moderation_note"])
    story.chapters.filter(status=Status.PENDING).update(status=Status.DRAFT)
    story_recount(story=story)
    record(actor=moderator, action="reject", target=story, reason=reason)
    for credit in story.credits.select_related("user"):
        notify(
            credit.user,
            f"Your story “{story.title}” was sent back",
            f"{moderator.pen_name} sent your story “{story.title}” back:\n\n{reason}",
            alert=False,
        )
    search_index.story_changed(story)
    content_changed()


@transaction.atomic
def chapter_validate(*, chapter: Chapter, moderator: User) -> None:
    from fabula.moderation.audit import record

    chapter.status = Status.PUBLISHED
    chapter.save(update_fields=["status"])
    story_recount(story=chapter.story, touch=True)
    record(actor=moderator, action="validate", target=chapter)
    search_index.chapter_changed(chapter)
    _announce_when_committed(chapter)
    content_changed()


@transaction.atomic
def chapter_reject(*, chapter: Chapter, moderator: User, reason: str) -> None:
    from fabula.moderation.audit import record

    if not reason.strip():
        raise ActionRefused("Say why the chapter is sent back: its authors will read it.")
    chapter.status = Status.DRAFT
    chapter.save(update_fields=["status"])
    Story.objects.filter(pk=chapter.story_id).update(moderation_note=reason.strip())
    record(actor=moderator, action="reject", target=chapter, reason=reason.strip())
    search_index.chapter_changed(chapter)
    content_changed()


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
    published, or waits for validation if the author's work does."""
    check_chapter_size(body)
    if not sanitize(body).strip():
        raise ActionRefused("A chapter needs some text.")
    status = Status.DRAFT if story.status == Status.DRAFT else _status_for_new_work(by)
    if story.status == Status.PENDING:
        status = Status.PENDING
    return chapter_add(
        story=story,
        title=title,
        body=body,
        author=by,
        notes=notes,
        end_notes=end_notes,
        status=status,
        release_at=release_at,
    )


@transaction.atomic
def chapter_update(
    *, chapter: Chapter, title: str, body: str, notes: str = "", end_notes: str = ""
) -> Chapter:
    check_chapter_size(body)
    clean = sanitize(body)
    if not clean.strip():
        raise ActionRefused("A chapter needs some text.")
    chapter.title = " ".join(title.split()) or f"Chapter {chapter.position}"
    chapter.body = clean
    chapter.notes = sanitize(notes)
    chapter.end_notes = sanitize(end_notes)
    chapter.word_count = count_words(clean)
    chapter.updated_at = timezone.now()
    chapter.save()
    story_recount(story=chapter.story, touch=True)
    search_index.chapter_changed(chapter)
    content_changed()
    return chapter


@transaction.atomic
def chapter_delete(*, chapter: Chapter) -> None:
    """Remove a chapter; the ones after it move up a place."""
    story = chapter.story
    if story.chapters.count() == 1:
        raise ActionRefused("A story keeps at least one chapter: delete the story instead.")
    chapter.delete()
    _renumber(story, [c.pk for c in story.chapters.order_by("position")])
    story_recount(story=story, touch=True)
    search_index.story_changed(story)
    content_changed()


def _renumber(story: Story, ordered_ids: Sequence[int]) -> None:
    # Positions are unique per story, so move every chapter out of the way first.
    chapters = story.chapters.all()
    offset = (chapters.aggregate(p=Max("position"))["p"] or 0) + 1
    for chapter in chapters:
        Chapter.objects.filter(pk=chapter.pk).update(position=chapter.position + offset)
    for position, chapter_id in enumerate(ordered_ids, start=1):
        Chapter.objects.filter(pk=chapter_id).update(position=position)


@transaction.atomic
def chapter_reorder(*, story: Story, order: Sequence[int]) -> None:
    """Put the story's chapters in the order of `order` (chapter ids, each exactly once)."""
    current = set(story.chapters.values_list("pk", flat=True))
    if len(order) != len(current) or set(order) != current:
        raise ActionRefused("Give every chapter of the story exactly once.")
    _renumber(story, list(order))
    story_recount(story=story, touch=True)
    search_index.story_changed(story)
    content_changed()


@transaction.atomic
def chapter_schedule(*, chapter: Chapter, release_at: datetime | None) -> None:
    """Hold a chapter back until `release_at` (None: release it now)."""
    if release_at is not None and release_at <= timezone.now():
        raise ActionRefused("Choose a time in the future, or release the chapter now.")
    chapter.release_at = release_at
    chapter.save(update_fields=["release_at"])
    story_recount(story=chapter.story, touch=release_at is None)
    search_index.chapter_changed(chapter)
    content_changed()


def release_due_chapters() -> int:
    """Release scheduled chapters whose time has come; returns how many. `fabula worker` calls
    this on every round (readers can already open a due chapter; this brings the counts, the
    'updated' date and the lists up to date)."""
    now = timezone.now()
    due = Chapter.objects.filter(release_at__isnull=False, release_at__lte=now)
    released = 0
    for story_id in set(due.values_list("story_id", flat=True)):
        with transaction.atomic():
            count = due.filter(story_id=story_id).update(release_at=None)
            story = Story.objects.get(pk=story_id)
            story_recount(story=story, touch=True)
            released += count
    if released:
        content_changed()
    return released


# ---------------------------------------------------------------------------------------------
# Co-authors


@transaction.atomic
def coauthor_invite(*, story: Story, user: User, by: User) -> CoauthorInvite:
    from fabula.accounts.emails import notify

    if story.credits.filter(user=user).exists():
        raise ActionRefused(f"{user.pen_name} is already an author of this story.")
    invite, created = CoauthorInvite.objects.get_or_create(
        story=story, user=user, defaults={"invited_by": by}
    )
    if created:
        notify(
            user,
            f"{by.pen_name} invites you to co-author “{story.title}”",
            f"{by.pen_name} would like to credit you as a co-author of “{story.title}”. "
            "Accept or decline on your “My stories” page.",
        )
    return invite


@transaction.atomic
def coauthor_accept(*, invite: CoauthorInvite) -> StoryAuthor:
    story = invite.story
    position = (story.credits.aggregate(p=Max("position"))["p"] or 0) + 1
    credit, _ = StoryAuthor.objects.get_or_create(
        story=story, user=invite.user, defaults={"position": position}
    )
    invite.delete()
    search_index.story_changed(story)
    content_changed()
    return credit


def coauthor_decline(*, invite: CoauthorInvite) -> None:
    invite.delete()


@transaction.atomic
def coauthor_remove(*, story: Story, user: User) -> None:
    """Take a co-author's credit off a story (the main author stays)."""
    credits = list(story.credits.order_by("position"))
    if credits and credits[0].user_id == user.pk:
        raise ActionRefused("The main author cannot be removed; delete the story instead.")
    story.credits.filter(user=user).delete()
    search_index.story_changed(story)
    content_changed()


# ---------------------------------------------------------------------------------------------
# Series and challenges


@transaction.atomic
def series_update(*, series: Series, title: str, summary: str = "", openness: str) -> Series:
    series.title = _clean_title(title, "series")
    series.summary = sanitize(summary)
    series.openness = openness
    series.save(update_fields=["title", "summary", "openness"])
    search_index.series_changed(series)
    content_changed()
    return series


@transaction.atomic
def series_add_work(
    *, series: Series, by: User, story: Story | None = None, subseries: Series | None = None
) -> SeriesEntry:
    """A member puts their story or series into a series: at once if they own the series or it
    is open, waiting for the owner if it is moderated."""
    exists = (
        series.entries.filter(story=story) if story else series.entries.filter(subseries=subseries)
    )
    if exists.exists():
        raise ActionRefused("That is already in this series.")
    own = series.owner_id == by.pk
    confirmed = own or series.openness == Series.Openness.OPEN
    return series_add(series=series, story=story, subseries=subseries, confirmed=confirmed)


def series_confirm_entry(*, entry: SeriesEntry) -> None:
    SeriesEntry.objects.filter(pk=entry.pk).update(confirmed=True)
    content_changed()


@transaction.atomic
def series_remove_entry(*, entry: SeriesEntry) -> None:
    series = entry.series
    entry.delete()
    for position, pk in enumerate(series.entries.values_list("pk", flat=True), start=1):
        SeriesEntry.objects.filter(pk=pk).update(position=position)
    content_changed()


@transaction.atomic
def series_delete(*, series: Series) -> None:
    """Delete a series; its stories stay, only their places in it go."""
    series.delete()
    content_changed()

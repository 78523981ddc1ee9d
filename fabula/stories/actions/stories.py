"""Writing a story: create, describe, tag, submit, recount and delete it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fabula.accounts.models import Pseud, User
from fabula.audit.actions import audit_record
from fabula.conf.markup import sanitize
from fabula.lib.changes import changed
from fabula.lib.db import keep_ids_ahead
from fabula.lib.refusals import ActionRefused
from fabula.lib.words import tidy_title
from fabula.stories.actions.gifts import story_set_gifts
from fabula.stories.actions.pseuds import default_pseud
from fabula.stories.actions.relations import relation_add, story_links_announce
from fabula.stories.languages import check_language
from fabula.stories.models import (
    Challenge,
    Status,
    Story,
    StoryAuthor,
    StoryTag,
)
from fabula.stories.permissions import is_author, needs_validation
from fabula.taxonomy.actions import freeform_tags
from fabula.taxonomy.models import Rating, Tag


@transaction.atomic
def story_create(
    *,
    authors: Sequence[User | Pseud],
    title: str,
    rating: Rating,
    summary: str = "",
    notes: str = "",
    tags: Sequence[Tag] = (),
    status: str = Status.DRAFT,
    completed: bool = False,
    reading_only: bool = False,
    locked: bool = False,
    featured: bool = False,
    language: str = "en",
    published_at: datetime | None = None,
    updated_at: datetime | None = None,
    story_id: int | None = None,
    archived_at: str = "",
    read_count: int = 0,
    challenges: Sequence[Challenge] = (),
) -> Story:
    """A new story credited to `authors` (main author first), each a member (who signs with
    their default pseud) or the pseud they sign with. It has no chapters yet."""
    if not authors:
        raise ActionRefused(_("A story needs at least one author."))
    title = clean_title(title)
    check_language(language)
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
        reading_only=reading_only,
        locked=locked,
        featured=featured,
        language=language,
        published_at=published_at,
        updated_at=updated_at or published_at,
        archived_at=archived_at,
        read_count=read_count,
    )
    if story_id is not None:
        keep_ids_ahead(Story)
    signed = [author if isinstance(author, Pseud) else default_pseud(author) for author in authors]
    StoryAuthor.objects.bulk_create(
        StoryAuthor(story=story, user_id=pseud.user_id, pseud=pseud, position=i)
        for i, pseud in enumerate(signed)
    )
    story_set_tags(story=story, tags=tags)
    if challenges:
        story.challenges.set(challenges)
    changed(story=story)
    return story


def story_set_tags(*, story: Story, tags: Sequence[Tag]) -> None:
    """Replace the story's tags, keeping the order given."""
    StoryTag.objects.filter(story=story).delete()
    unique = list(dict.fromkeys(tags))
    StoryTag.objects.bulk_create(
        StoryTag(story=story, tag=tag, position=i) for i, tag in enumerate(unique)
    )
    changed(story=story)


def story_count_chapters(*, story: Story) -> None:
    story.chapter_count = story.chapters.released().count()
    Story.objects.filter(pk=story.pk).update(chapter_count=story.chapter_count)


def story_recount(*, story: Story, touch: bool = False) -> None:
    """Recount words and chapters from the published chapters; `touch` marks it updated."""
    released = story.chapters.released()
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


def audit_staff_change(*, by: User | None, story: Story, action: str) -> None:
    """Staff changing someone else's story leave a line in the audit log, as for any staff
    action; authors working on their own story (and the system: `by` None) do not."""
    if by is not None and not is_author(by, story):
        audit_record(by=by, action=action, target=story)


@transaction.atomic
def story_set_featured(*, story: Story, featured: bool, by: User) -> None:
    """Staff put a story among the featured ones on the home page, or take it off."""
    if story.featured == featured:
        return
    Story.objects.filter(pk=story.pk).update(featured=featured)
    story.featured = featured
    audit_record(by=by, action="feature" if featured else "unfeature", target=story)
    changed(story=story)


@transaction.atomic
def story_delete(*, story: Story, by: User | None = None) -> None:
    """Remove a story with everything that hangs on it: chapters, credits, tags, its places
    in series, its challenge responses, read marks. The members and tags themselves stay."""
    audit_staff_change(by=by, story=story, action="delete story")
    story_id = story.pk
    story.delete()
    changed(removed_story=story_id)


def clean_title(title: str, what: str = "story") -> str:
    """The title as stored (`tidy_title`); refused when nothing is left of it."""
    title = tidy_title(title)
    if not title:
        raise ActionRefused(
            _("A series needs a title.") if what == "series" else _("A story needs a title.")
        )
    return title


def status_for_new_work(by: User) -> str:
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
    freeform: Sequence[str] = (),
    completed: bool = False,
    reading_only: bool | None = None,
    locked: bool | None = None,
    challenges: Sequence[Challenge] | None = None,
    language: str | None = None,
    gifts: Sequence[str] | None = None,
    relation_kind: str = "",
    relation_to: str = "",
    relation_title: str = "",
    by: User | None = None,
) -> Story:
    """Change what describes a story (its language too, unless None), which challenges it
    answers, whether it is for reading only, whether it is locked to members and who it is a
    gift for (each left as it is when None); `relation_*` add a related work (`relation_add`).
    Its chapters and status stay as they are.
    `freeform` names free-form tags, made the first time they are used (a refused edit makes
    none). `by`: who did it (staff are audited)."""
    if language:
        check_language(language, current=story.language)
    story.title = clean_title(title)
    story.rating = rating
    story.summary = sanitize(summary)
    story.notes = sanitize(notes)
    story.completed = completed
    story.language = language or story.language
    if reading_only is not None:
        story.reading_only = reading_only
    if locked is not None:
        story.locked = locked
    story.save(
        update_fields=[
            "title",
            "rating",
            "summary",
            "notes",
            "completed",
            "language",
            "reading_only",
            "locked",
        ]
    )
    story_set_tags(story=story, tags=[*tags, *freeform_tags(names=freeform)])
    if challenges is not None:
        story.challenges.set(challenges)
    if gifts is not None:
        story_set_gifts(story=story, names=gifts, by=by)
    if relation_kind or relation_to:
        relation_add(story=story, kind=relation_kind, to=relation_to, title=relation_title, by=by)
    story_recount(story=story, touch=True)  # an edited story counts its words the new way
    audit_staff_change(by=by, story=story, action="edit story")
    changed(story=story)
    return story


@transaction.atomic
def story_submit(*, story: Story, by: User) -> str:
    """Take a draft (or a story sent back) out of the drawer: it is published at once for
    trusted authors, staff and archives that auto-validate, and waits for staff otherwise.
    Its draft chapters follow it. Returns the new status."""
    if story.status not in (Status.DRAFT, Status.PENDING):
        return story.status
    status = status_for_new_work(by)
    story.status = status
    story.moderation_note = ""
    fields = ["status", "moderation_note"]
    if status == Status.PUBLISHED:
        story.published_at = story.published_at or timezone.now()
        fields.append("published_at")
    story.save(update_fields=fields)
    story.chapters.filter(status__in=[Status.DRAFT, Status.PENDING]).update(status=status)
    story_recount(story=story, touch=True)
    story_links_announce(story=story, by=by)
    changed(story=story)
    return status

"""Every write staff (and reporting readers) make: validation, reports, hiding, locking, banning.

Each staff action takes `by=` (the staff member) and writes the audit line itself
(`audit_record`), in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fabula.accounts.models import User
from fabula.audit.actions import audit_record
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused
from fabula.moderation.models import Report
from fabula.notifications.actions import notify
from fabula.notifications.models import Notification
from fabula.stories.actions import announce_when_committed, story_links_announce, story_recount
from fabula.stories.models import Chapter, Status, Story


def _authors(story: Story) -> list[User]:
    return [credit.user for credit in story.credits.select_related("user")]


@transaction.atomic
def story_validate(*, story: Story, by: User) -> None:
    """Staff accept a story waiting in the queue: it and its waiting chapters go public."""
    story.status = Status.PUBLISHED
    story.moderation_note = ""
    story.published_at = story.published_at or timezone.now()
    story.save(update_fields=["status", "moderation_note", "published_at"])
    story.chapters.filter(status=Status.PENDING).update(status=Status.PUBLISHED)
    story_recount(story=story, touch=True)
    audit_record(by=by, action="validate", target=story)
    notify(
        _authors(story),
        kind=Notification.Kind.VALIDATED,
        text=f"Your story “{story.title}” is published.",
        url=story.get_absolute_url(),
        story=story,
        detail=f"{by.pen_name} validated it. Readers can now find it in the archive.",
    )
    story_links_announce(story=story, by=by)
    changed(story=story)


@transaction.atomic
def story_reject(*, story: Story, by: User, reason: str) -> None:
    """Staff send a story back to its authors as a draft, with the reason."""
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Say why the story is sent back: its authors will read it."))
    story.status = Status.DRAFT
    story.moderation_note = reason
    story.save(update_fields=["status", "moderation_note"])
    story.chapters.filter(status=Status.PENDING).update(status=Status.DRAFT)
    story_recount(story=story)
    audit_record(by=by, action="reject", target=story, reason=reason)
    notify(
        _authors(story),
        kind=Notification.Kind.REJECTED,
        text=f"Your story “{story.title}” was sent back.",
        url=reverse("stories:manage", args=[story.pk]),
        story=story,
        detail=f"{by.pen_name} sent it back:\n\n{reason}",
        urgent=True,  # the authors must hear why, whatever they chose for alerts
    )
    changed(story=story)


@transaction.atomic
def chapter_validate(*, chapter: Chapter, by: User) -> None:
    chapter.status = Status.PUBLISHED
    chapter.save(update_fields=["status"])
    story_recount(story=chapter.story, touch=True)
    audit_record(by=by, action="validate", target=chapter)
    announce_when_committed(chapter)
    changed(chapter=chapter)


@transaction.atomic
def chapter_reject(*, chapter: Chapter, by: User, reason: str) -> None:
    if not reason.strip():
        raise ActionRefused(_("Say why the chapter is sent back: its authors will read it."))
    chapter.status = Status.DRAFT
    chapter.save(update_fields=["status"])
    Story.objects.filter(pk=chapter.story_id).update(moderation_note=reason.strip())
    audit_record(by=by, action="reject", target=chapter, reason=reason.strip())
    changed(chapter=chapter)


def report_create(
    *,
    reason: str,
    reporter: User | None,
    story: Story | None = None,
    chapter: Chapter | None = None,
    review=None,
) -> Report:
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Say what is wrong, so staff know what to look for."))
    if chapter is not None:
        story = chapter.story
    if review is not None:
        story = review.story
    return Report.objects.create(
        reason=reason[:5000],
        reporter=reporter if reporter and reporter.is_authenticated else None,
        story=story,
        chapter=chapter,
        review=review,
    )


@transaction.atomic
def report_close(*, report: Report, by: User, dismissed: bool = False) -> None:
    report.state = Report.State.DISMISSED if dismissed else Report.State.RESOLVED
    report.handled_by, report.handled_at = by, timezone.now()
    report.save(update_fields=["state", "handled_by", "handled_at"])
    audit_record(by=by, action="dismiss report" if dismissed else "resolve report", target=report)


@transaction.atomic
def story_hide(*, story: Story, by: User, reason: str = "") -> None:
    if story.status == Status.HIDDEN:
        return
    Story.objects.filter(pk=story.pk).update(
        status=Status.HIDDEN, status_before_hiding=story.status
    )
    story.status_before_hiding, story.status = story.status, Status.HIDDEN
    audit_record(by=by, action="hide", target=story, reason=reason)
    changed(story=story)


@transaction.atomic
def story_unhide(*, story: Story, by: User) -> None:
    if story.status != Status.HIDDEN:
        return
    story.status = story.status_before_hiding or Status.PUBLISHED
    Story.objects.filter(pk=story.pk).update(status=story.status, status_before_hiding="")
    audit_record(by=by, action="unhide", target=story)
    changed(story=story)


@transaction.atomic
def chapter_hide(*, chapter: Chapter, by: User, reason: str = "") -> None:
    Chapter.objects.filter(pk=chapter.pk).update(status=Status.HIDDEN)
    story_recount(story=chapter.story)
    audit_record(by=by, action="hide", target=chapter, reason=reason)
    changed(chapter=chapter)


@transaction.atomic
def chapter_unhide(*, chapter: Chapter, by: User) -> None:
    Chapter.objects.filter(pk=chapter.pk, status=Status.HIDDEN).update(status=Status.PUBLISHED)
    story_recount(story=chapter.story)
    audit_record(by=by, action="unhide", target=chapter)
    changed(chapter=chapter)


@transaction.atomic
def review_set_hidden(*, review, by: User, hidden: bool, reason: str = "") -> None:
    type(review).objects.filter(pk=review.pk).update(hidden=hidden)
    audit_record(by=by, action="hide" if hidden else "unhide", target=review, reason=reason)
    changed()


@transaction.atomic
def member_set_locked(*, member: User, by: User, locked: bool, reason: str = "") -> None:
    """A locked member still reads and logs in, but may not post, edit or review."""
    User.objects.filter(pk=member.pk).update(locked=locked)
    member.locked = locked
    audit_record(by=by, action="lock" if locked else "unlock", target=member, reason=reason)


@transaction.atomic
def member_set_banned(*, member: User, by: User, banned: bool, reason: str = "") -> None:
    """A banned member cannot log in; their sessions end at their next request."""
    User.objects.filter(pk=member.pk).update(is_active=not banned)
    member.is_active = not banned
    audit_record(by=by, action="ban" if banned else "unban", target=member, reason=reason)


@transaction.atomic
def member_set_trusted(*, member: User, by: User, trusted: bool) -> None:
    """A trusted member's new work skips the validation queue."""
    User.objects.filter(pk=member.pk).update(trusted=trusted)
    member.trusted = trusted
    audit_record(by=by, action="trust" if trusted else "untrust", target=member)

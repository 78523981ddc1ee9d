"""Staff actions called by name: each does its deed and writes its own audit line."""

from __future__ import annotations

import pytest

from fabula.audit.models import AuditEntry
from fabula.community.models import Review
from fabula.lib.refusals import ActionRefused
from fabula.moderation import actions
from fabula.moderation.models import Report
from fabula.stories.models import Status

pytestmark = pytest.mark.django_db


def _log() -> list[tuple]:
    return list(
        AuditEntry.objects.order_by("pk").values_list("actor", "action", "target_type", "reason")
    )


def test_story_hide_keeps_the_status_to_come_back_to(moderator, make_story, author):
    story = make_story(author, "Visible", status=Status.PENDING)
    actions.story_hide(story=story, by=moderator, reason="Plagiarism")
    story.refresh_from_db()
    assert (story.status, story.status_before_hiding) == (Status.HIDDEN, Status.PENDING)
    actions.story_hide(story=story, by=moderator)  # hiding twice changes nothing
    actions.story_unhide(story=story, by=moderator)
    story.refresh_from_db()
    assert story.status == Status.PENDING
    assert _log() == [
        (moderator.pk, "hide", "story", "Plagiarism"),
        (moderator.pk, "unhide", "story", ""),
    ]


def test_member_set_locked(moderator, author):
    actions.member_set_locked(member=author, by=moderator, locked=True, reason="Spam")
    author.refresh_from_db()
    assert author.locked
    actions.member_set_locked(member=author, by=moderator, locked=False)
    author.refresh_from_db()
    assert not author.locked
    assert _log() == [
        (moderator.pk, "lock", "user", "Spam"),
        (moderator.pk, "unlock", "user", ""),
    ]


def test_member_set_banned(moderator, author):
    actions.member_set_banned(member=author, by=moderator, banned=True, reason="Abuse")
    author.refresh_from_db()
    assert not author.is_active
    actions.member_set_banned(member=author, by=moderator, banned=False)
    author.refresh_from_db()
    assert author.is_active
    assert [action for _, action, _, _ in _log()] == ["ban", "unban"]


def test_report_create(reader, make_story, author):
    story = make_story(author, "Reported", chapters=2)
    chapter = story.chapters.get(position=2)
    report = actions.report_create(reason="  Stolen text  ", reporter=reader, chapter=chapter)
    assert (report.story, report.chapter, report.reporter, report.reason) == (
        story,
        chapter,
        reader,
        "Stolen text",
    )
    assert report.state == Report.State.OPEN
    with pytest.raises(ActionRefused):
        actions.report_create(reason="   ", reporter=reader, story=story)
    assert Report.objects.count() == 1
    assert not AuditEntry.objects.exists()  # a reader's report is no staff action


def test_report_close(moderator, reader, make_story, author):
    report = actions.report_create(reason="Spam", reporter=reader, story=make_story(author))
    actions.report_close(report=report, by=moderator, dismissed=True)
    report.refresh_from_db()
    assert (report.state, report.handled_by) == (Report.State.DISMISSED, moderator)
    assert [action for _, action, _, _ in _log()] == ["dismiss report"]


def test_review_set_hidden(moderator, reader, make_story, author):
    review = Review.objects.create(
        story=make_story(author), user=reader, name="Reader", body="<p>Rude</p>"
    )
    actions.review_set_hidden(review=review, by=moderator, hidden=True, reason="Rude")
    review.refresh_from_db()
    assert review.hidden
    actions.review_set_hidden(review=review, by=moderator, hidden=False)
    review.refresh_from_db()
    assert not review.hidden
    assert _log() == [
        (moderator.pk, "hide", "review", "Rude"),
        (moderator.pk, "unhide", "review", ""),
    ]


def test_a_refused_rejection_leaves_no_audit_line(moderator, make_story, author):
    story = make_story(author, "Waiting", status=Status.PENDING)
    with pytest.raises(ActionRefused):
        actions.story_reject(story=story, by=moderator, reason="  ")
    story.refresh_from_db()
    assert story.status == Status.PENDING
    assert not AuditEntry.objects.exists()

"""The audit log's one write, and the staff actions of other apps that write it."""

from __future__ import annotations

import pytest

from fabula.audit.actions import audit_record
from fabula.audit.models import AuditEntry
from fabula.stories import actions
from fabula.test import quick_user

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_audit_record(moderator, make_story, author):
    story = make_story(author, "Logged")
    entry = audit_record(by=moderator, action="hide", target=story, reason="Why")
    assert (entry.actor, entry.target_type, entry.target_id, entry.target_label) == (
        moderator,
        "story",
        story.pk,
        "Logged",
    )
    # The system (or a guest) leaves a line with no actor.
    assert audit_record(by=None, action="purge", target=story).actor is None


def _change_everything(story, by) -> None:
    """Every story and chapter action that takes `by`, in turn."""
    actions.story_update(story=story, title="Changed", rating=story.rating, by=by)
    first, second = story.chapters.order_by("position")
    actions.chapter_update(chapter=first, title="One", body="<p>Text.</p>", by=by)
    actions.chapter_reorder(story=story, order=[second.pk, first.pk], by=by)
    actions.chapter_schedule(chapter=second, release_at=None, by=by)
    actions.chapter_post(story=story, by=by, title="Three", body="<p>More.</p>")
    actions.chapter_delete(chapter=second, by=by)
    actions.story_delete(story=story, by=by)


def test_authors_changing_their_own_story_are_not_audited(make_story, author):
    _change_everything(make_story(author, "Mine", chapters=2), author)
    assert not AuditEntry.objects.exists()


def test_staff_changing_someone_elses_story_are_audited(moderator, make_story, author):
    _change_everything(make_story(author, "Theirs", chapters=2), moderator)
    assert _actions() == [
        "edit story",
        "edit chapter",
        "reorder chapters",
        "schedule chapter",
        "add chapter",
        "delete chapter",
        "delete story",
    ]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {moderator.pk}


def test_changes_by_the_system_are_not_audited(make_story):
    story = make_story(quick_user("Imported"), "Imported story")
    actions.story_update(story=story, title="Renamed by a command", rating=story.rating)
    assert not AuditEntry.objects.exists()

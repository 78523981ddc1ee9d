"""notify(): the notification row, the email as a job, and the member's choice of alerts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from fabula.accounts.models import User
from fabula.notifications.actions import notification_mark_all_read, notify
from fabula.notifications.models import Notification
from fabula.stories import actions as story_actions

pytestmark = pytest.mark.django_db


def tell(users, **extra):
    return notify(users, kind="review", text="Something happened.", url="/somewhere/", **extra)


def test_notify_writes_a_row_and_queues_the_email_as_a_job(queued_jobs, reader):
    mail.outbox.clear()
    made = tell([reader, reader], detail="More words for the email.")
    row = Notification.objects.get()
    assert made == [row] and (row.user, row.kind, row.url) == (reader, "review", "/somewhere/")
    [(name, arguments)] = queued_jobs()
    assert name == "email-notification" and arguments["notification_id"] == row.pk
    assert mail.outbox == []  # nothing leaves outside the queue
    call_command("worker", "--once")
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "Something happened." in mail.outbox[0].subject
    assert "More words for the email." in mail.outbox[0].body
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_alerts_off_or_daily_means_no_email_now(queued_jobs, reader, author):
    User.objects.filter(pk=reader.pk).update(alerts=User.Alerts.OFF)
    User.objects.filter(pk=author.pk).update(alerts=User.Alerts.DAILY)
    reader.refresh_from_db()
    author.refresh_from_db()
    tell([reader, author])
    assert Notification.objects.count() == 2 and queued_jobs() == []


def test_email_false_keeps_it_to_the_page(queued_jobs, reader):
    tell([reader], email=False)
    assert Notification.objects.filter(user=reader).exists() and queued_jobs() == []


def test_urgent_emails_whatever_the_member_chose(queued_jobs, reader):
    User.objects.filter(pk=reader.pk).update(alerts=User.Alerts.OFF)
    reader.refresh_from_db()
    tell([reader], urgent=True)
    assert [name for name, _ in queued_jobs()] == ["email-notification"]


def test_the_actor_and_inactive_members_hear_nothing(reader, author):
    User.objects.filter(pk=author.pk).update(is_active=False)
    author.refresh_from_db()
    assert tell([reader, author], actor=reader) == []
    assert not Notification.objects.exists()


def test_mark_all_read(reader, author):
    tell([reader, author])
    assert notification_mark_all_read(user=reader) == 1
    assert Notification.objects.get(user=reader).read_at is not None
    assert Notification.objects.get(user=author).read_at is None


def test_a_new_chapter_is_announced_by_a_job_the_community_app_runs(
    queued_jobs, make_story, author, reader
):
    from fabula.community import actions as community_actions

    story = make_story(author, "Announced")
    community_actions.subscribe(user=reader, target=story)
    DBTaskResult.objects.all().delete()  # what the story's posting queued
    chapter = story_actions.chapter_add(story=story, title="Third", body="<p>More.</p>")
    assert queued_jobs() == [("announce-chapter", {"chapter_id": chapter.pk})]
    assert not Notification.objects.exists()
    call_command("worker", "--once")
    assert Notification.objects.get(user=reader).text == "New chapter of Announced: Third."

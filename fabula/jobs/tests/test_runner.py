"""Background jobs: inline by default, or queued in the database for `fabula worker`."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from fabula.jobs import runner
from fabula.jobs.models import Job
from fabula.moderation import actions as moderation_actions
from fabula.stories.models import Status

pytestmark = pytest.mark.django_db

calls: list = []


def _record(*, value: int) -> None:
    if value < 0:
        raise RuntimeError("negative")
    calls.append(value)


runner.register("test-record", _record)


def test_queued_validation_email_waits_for_the_worker(settings, make_story, author, moderator):
    settings.FABULA_JOBS = "queue"
    story = make_story(author, "Queued", status=Status.PENDING)
    mail.outbox.clear()
    moderation_actions.story_validate(story=story, by=moderator)
    assert mail.outbox == []
    job = Job.objects.get(name="email-notification")
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.done_at is not None and len(mail.outbox) == 1
    assert mail.outbox[0].to == [author.email]


def test_failed_job_is_kept_with_its_error(settings):
    settings.FABULA_JOBS = "queue"
    calls.clear()
    runner.enqueue("test-record", value=-1)
    runner.enqueue("test-record", value=7)
    assert runner.run_due_jobs() == 1
    failed = Job.objects.get(arguments={"value": -1})
    assert failed.done_at is None and failed.attempts == 1
    assert "negative" in failed.error and calls == [7]


def test_inline_runs_on_commit(settings, django_capture_on_commit_callbacks):
    settings.FABULA_JOBS = "inline"
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        runner.enqueue("test-record", value=3)
    assert calls == [3] and not Job.objects.exists()


def test_unregistered_name_is_refused():
    with pytest.raises(ValueError):
        runner.enqueue("no-such-job")


def test_apps_register_their_jobs_and_rounds():
    assert {"email-notification", "email-digest", "announce-chapter"} <= set(runner._registry)
    assert "chapter(s) released" in runner._rounds

"""Background jobs on Django's task framework: inline by default, or queued in the database for
`fabula worker`, with retries and stalled jobs handed back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fabula.jobs import runner, worker
from fabula.moderation import actions as moderation_actions
from fabula.stories.models import Status
from fabula.test import command_output

pytestmark = pytest.mark.django_db

calls: list = []


def _record(*, value: int) -> None:
    if value < 0:
        raise RuntimeError("negative")
    calls.append(value)


runner.register("test-record", _record)


@pytest.fixture(autouse=True)
def no_calls():
    calls.clear()


def test_queued_validation_email_waits_for_the_worker(queued_jobs, make_story, author, moderator):
    story = make_story(author, "Queued", status=Status.PENDING)
    mail.outbox.clear()
    moderation_actions.story_validate(story=story, by=moderator)
    assert mail.outbox == []
    assert "email-notification" in [name for name, _ in queued_jobs()]
    call_command("worker", "--once")
    assert queued_jobs() == [] and len(mail.outbox) == 1
    assert mail.outbox[0].to == [author.email]


def test_a_failing_job_is_recorded_with_its_error_and_tried_again_later(queued_jobs):
    runner.enqueue("test-record", value=-1)
    runner.enqueue("test-record", value=7)
    assert worker.run_due_jobs() == 1 and calls == [7]
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.exception_class_path == "builtins.RuntimeError"
    assert "negative" in failed.traceback
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {
        "name": "test-record",
        "arguments": {"value": -1},
        "attempt": 2,
    }
    assert failed.finished_at is not None
    wait = retry.run_after - failed.finished_at
    assert runner.backoff(1) - timedelta(seconds=5) < wait <= runner.backoff(1)
    assert worker.run_due_jobs() == 0  # not before its time


def test_a_job_that_keeps_failing_stops_after_the_last_attempt(queued_jobs):
    runner.enqueue("test-record", value=-1)
    for _ in range(runner.MAX_ATTEMPTS):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        assert worker.run_due_jobs() == 0
    assert (
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == runner.MAX_ATTEMPTS
    )
    assert queued_jobs() == []  # given up, each failure on record


def test_backoff_grows():
    delays = [runner.backoff(attempt) for attempt in range(1, runner.MAX_ATTEMPTS)]
    assert delays == sorted(delays) and delays[0] == timedelta(seconds=30)


def test_a_job_whose_worker_died_is_run_again_once(queued_jobs):
    runner.enqueue("test-record", value=5)
    row = DBTaskResult.objects.get()
    # A worker claimed it and was killed before it finished.
    row.claim("killed-worker")
    assert worker.run_due_jobs() == 0 and calls == []
    assert worker.requeue_stalled() == 0  # it may still be running somewhere
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - runner.STALLED_AFTER - timedelta(seconds=1)
    )
    out = command_output("worker", "--once")
    assert "1 stalled job(s) queued again" in out and "ran 1 job(s)" in out
    assert calls == [5]
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.worker_ids[0] == "killed-worker"
    assert worker.run_due_jobs() == 0 and calls == [5]  # once, not twice


def test_a_queued_job_is_written_with_its_transaction(queued_jobs):
    with pytest.raises(RuntimeError), transaction.atomic():
        runner.enqueue("test-record", value=1)
        raise RuntimeError("the action failed")
    assert queued_jobs() == []  # rolled back with the action


def test_inline_runs_on_commit_and_a_failure_is_only_logged(
    django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        runner.enqueue("test-record", value=3)
        runner.enqueue("test-record", value=-3)
        assert calls == []  # not before the commit
    assert calls == [3] and not DBTaskResult.objects.exists()
    assert "Background job test-record failed" in caplog.text


def test_unregistered_name_is_refused():
    with pytest.raises(ValueError):
        runner.enqueue("no-such-job")


def test_apps_register_their_jobs_and_rounds():
    assert {"email-notification", "email-digest", "announce-chapter"} <= set(runner._registry)
    assert "chapter(s) released" in runner._rounds

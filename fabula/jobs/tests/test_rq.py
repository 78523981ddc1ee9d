"""Background jobs in Redis: with REDIS_URL and FABULA_JOBS=queue the settings choose
django-tasks-rq's RQ backend; `fabula worker` runs its jobs (and the database queue's, where a
job goes while Redis does not answer)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import django_rq
import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from fabula.jobs import runner, worker
from fabula.jobs.tests.test_runner import calls
from fabula.lib import resilient_redis
from fabula.test import command_output, empty_redis, free_port

pytestmark = pytest.mark.django_db
TEST_REDIS = "redis://127.0.0.1:6379/15"
FABULA = Path(sys.executable).with_name("fabula")


def rq_settings(settings, url: str) -> None:
    """As fabula/settings.py sets them for FABULA_JOBS=queue with REDIS_URL=url."""
    settings.TASKS = {
        "default": {"BACKEND": settings.TASK_BACKENDS["rq"], "QUEUES": ["default"]},
        "database": {"BACKEND": settings.TASK_BACKENDS["queue"]},
    }
    settings.RQ_QUEUES = {"default": {"URL": url + "?socket_timeout=0.25"}}


@pytest.fixture
def rq_queue(settings):
    """Jobs queued in a Redis database of the tests' own, emptied before and after."""
    store = empty_redis(TEST_REDIS)
    rq_settings(settings, TEST_REDIS)
    calls.clear()
    yield store
    store.flushdb()


def test_a_job_enqueued_with_redis_runs_through_rq(rq_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        runner.enqueue("test-record", value=3)
    assert rq_queue.llen("rq:queue:default") == 1  # waiting in Redis, not in the database
    assert not DBTaskResult.objects.exists() and calls == []
    out = command_output("worker", "--once")
    assert "ran 1 job(s)" in out and calls == [3]
    assert rq_queue.llen("rq:queue:default") == 0
    assert worker.run_due_jobs() == 0 and calls == [3]  # once


def test_a_failing_rq_job_is_tried_again_later_with_its_error_kept(
    rq_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        runner.enqueue("test-record", value=-1)
    assert worker.run_due_jobs() == 0 and calls == []
    queue = django_rq.get_queue("default")
    [failed_id] = queue.failed_job_registry.get_job_ids()
    failed = task_backends["default"].get_result(failed_id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[0].exception_class_path == "builtins.RuntimeError"
    assert "negative" in failed.errors[0].traceback
    # The next attempt waits in RQ's scheduled registry until backoff(1) from now.
    [retry_id] = queue.scheduled_job_registry.get_job_ids()
    retry = task_backends["default"].get_result(retry_id)
    assert retry.kwargs == {"name": "test-record", "arguments": {"value": -1}, "attempt": 2}
    wait = queue.scheduled_job_registry.get_scheduled_time(retry_id) - timezone.now()
    assert runner.backoff(1) - timedelta(seconds=10) < wait <= runner.backoff(1)
    assert worker.run_due_jobs() == 0  # not before its time


def test_while_redis_is_away_a_job_waits_in_the_database(
    settings, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    calls.clear()
    monkeypatch.setattr(resilient_redis, "_last_complaint", -3600.0)  # a line is due
    rq_settings(settings, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        runner.enqueue("test-record", value=4)
    row = DBTaskResult.objects.get()
    assert row.backend_name == "database" and row.status == TaskResultStatus.READY
    assert "Redis is unavailable" in caplog.text
    assert "background jobs wait in the database queue" in caplog.text
    out = command_output("worker", "--once")  # RQ's half finds no Redis: no error, no job
    assert "ran 1 job(s)" in out and calls == [4]


def test_the_settings_choose_rq_when_the_queue_has_redis(tmp_path):
    shown = (
        "from django.conf import settings;"
        "print(sorted((alias, v['BACKEND']) for alias, v in settings.TASKS.items()))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "FABULA_JOBS": "queue",
    }
    with_redis = subprocess.run(
        [FABULA, "shell", "-c", shown],
        env={**env, "REDIS_URL": TEST_REDIS},
        capture_output=True,
        text=True,
        check=True,
    )
    assert with_redis.stdout.strip().splitlines()[-1] == str(
        [("database", "django_tasks_db.DatabaseBackend"), ("default", "django_tasks_rq.RQBackend")]
    )
    without = subprocess.run(
        [FABULA, "shell", "-c", shown],
        env={key: value for key, value in env.items() if key != "REDIS_URL"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert without.stdout.strip().splitlines()[-1] == str(
        [("default", "django_tasks_db.DatabaseBackend")]
    )

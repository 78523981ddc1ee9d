"""What `fabula worker` does each round beside the apps' own work (`runner.run_rounds`): hand back
the jobs whose worker died, then run the due jobs of every queue the settings name.

Kept apart from `runner`, which every web worker imports to enqueue: RQ's worker and the
database queue's are needed only here.
"""

from __future__ import annotations

import django_rq
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction
from django_tasks_rq.backend import Job as RQJob
from django_tasks_rq.backend import RQBackend
from rq import SimpleWorker

from fabula.jobs.runner import STALLED_AFTER
from fabula.lib.resilient_redis import errors, unavailable


def requeue_stalled() -> int:
    """Hand back to the queue the jobs whose worker died while running them; how many."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - STALLED_AFTER
    ).update(status=TaskResultStatus.READY, started_at=None)


def run_due_jobs(limit: int | None = None) -> int:
    """Run the queued jobs whose time has come, one at a time in this process, from every queue
    the settings name (the database's, Redis's); how many succeeded."""
    succeeded = 0
    for alias in task_backends.settings:
        backend = task_backends[alias]
        if isinstance(backend, DatabaseBackend):
            succeeded += _run_database_jobs(alias, limit)
        elif isinstance(backend, RQBackend):
            succeeded += _run_rq_jobs(limit)
    return succeeded


def _run_database_jobs(alias: str, limit: int | None) -> int:
    """The database queue's due jobs. Each is claimed in its own short transaction first, so two
    workers never take the same job."""
    worker = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name=alias,
        startup_delay=False,
        max_tasks=None,  # this loop counts (the worker's own loop is not used)
        worker_id=get_random_string(32),
    )
    ran = succeeded = 0
    while limit is None or ran < limit:
        with exclusive_transaction():
            due = DBTaskResult.objects.ready().filter(backend_name=alias)
            claimed = due.get_locked()
            if claimed is None:
                return succeeded
            claimed.claim(worker.worker_id)
        # The library's own step: runs the task, records its result and sends the signals.
        worker.run_task(claimed)
        ran += 1
        claimed.refresh_from_db(fields=["status"])
        succeeded += claimed.status == TaskResultStatus.SUCCESSFUL
    return succeeded


class _RoundWorker(SimpleWorker):
    """RQ's worker in this process, for one round. It takes no remote commands: listening for
    them costs a thread that waits up to a minute before the round may end (it blocked
    `fabula worker` for good on a loaded machine)."""

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass


def _run_rq_jobs(limit: int | None) -> int:
    """RQ's due jobs (and its deferred ones whose time has come), in this process: RQ's
    SimpleWorker in burst mode, which stops when the queue is empty."""
    succeeded = 0

    def count(sender, task_result, **kwargs) -> None:
        nonlocal succeeded
        succeeded += task_result.status == TaskResultStatus.SUCCESSFUL

    task_finished.connect(count, dispatch_uid="fabula.jobs.worker.rq")
    try:
        queue = django_rq.get_queue("default", job_class=RQJob)
        worker = _RoundWorker(
            [queue], connection=queue.connection, job_class=RQJob, queue_class=type(queue)
        )
        worker.work(burst=True, with_scheduler=True, max_jobs=limit, logging_level="WARNING")
    except errors() as error:
        unavailable(error, "the worker runs the database queue only until it is back")
    finally:
        task_finished.disconnect(dispatch_uid="fabula.jobs.worker.rq")
    return succeeded

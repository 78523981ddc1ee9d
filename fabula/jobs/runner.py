"""Background work through one small interface, on Django's task framework.

Each app registers its job functions by name in its `AppConfig.ready()`
(`register("email-notification", send_notification)`), and code that wants something done
later calls `enqueue("email-notification", notification_id=...)`. Naming jobs keeps the
caller from importing the app that does the work, so an action may ask an app above it for a
job (a new chapter's announcement) without an upward import.

Underneath, every job is the one task `run_job` of `django-tasks` (the backport of Django 6.0's
`django.tasks`), given to the backend `settings.TASKS` names:

- `ImmediateBackend` (the default, `FABULA_JOBS=inline`): the job runs in the same process when
  the transaction commits, so a small site needs no worker;
- `django_tasks_db.DatabaseBackend` (`FABULA_JOBS=queue`): the job waits in the database for
  `fabula worker`, which also runs, on every round, the work apps register with `register_round`
  (releasing scheduled chapters);
- `django_tasks_rq.RQBackend` (`FABULA_JOBS=queue` with `REDIS_URL`): the job waits in Redis
  (RQ) for `fabula worker`. A job enqueued while Redis does not answer goes to the database
  queue instead (the backend `settings.TASKS` names "database"), so a lost Redis costs no job
  and no page; the worker runs both queues.

A failed job is retried with a growing delay (`backoff`) up to MAX_ATTEMPTS times, each failure
kept with its error and traceback as a failed task result; a job in the database queue whose
worker was killed while it ran is handed back to the queue once it has been running longer than
`STALLED_AFTER` (RQ's own maintenance records such a job as failed, abandoned: never doubled).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks_db.backend import DatabaseBackend

from fabula.lib.resilient_redis import errors, unavailable

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Longer than any job runs (an email, a chapter's announcement): a job still marked running
# after this lost its worker (killed, machine gone) and is run again.
STALLED_AFTER = timedelta(minutes=15)
# A job's return value is not used (`announce-chapter` returns how many it told, for tests).
_registry: dict[str, Callable[..., object]] = {}
_rounds: dict[str, Callable[[], int]] = {}


def register(name: str, function: Callable[..., object]) -> None:
    """Make `function` runnable as the job `name` (called from an app's `ready()`)."""
    _registry[name] = function


def register_round(label: str, function: Callable[[], int]) -> None:
    """Have `fabula worker` call `function()` on every round; it returns how much it did, which
    the worker reports under `label` (e.g. "chapter(s) released")."""
    _rounds[label] = function


def backoff(attempt: int) -> timedelta:
    """How long a job that failed `attempt` times waits: 30 s, 2 min, 8 min, 32 min."""
    return timedelta(seconds=30 * 4 ** (attempt - 1))


def enqueue(name: str, **arguments) -> None:
    """Have the job `name` run with `arguments`: now (inline) or by the worker (queue).

    Arguments must be JSON values (ids, not model instances). Jobs run, or are written, when the
    surrounding transaction commits, so a job never sees data that was rolled back.
    """
    if name not in _registry:
        raise ValueError(f"No job is registered as {name}.")

    def hand_over() -> None:
        _hand_over(name=name, arguments=arguments, attempt=1)

    if isinstance(task_backends[run_job.backend], DatabaseBackend):
        hand_over()  # a row in the caller's transaction: committed or rolled back with it
    else:
        transaction.on_commit(hand_over)


def _hand_over(*, run_after: datetime | None = None, **arguments) -> None:
    """Queue `run_job` on the default backend, or on the database one while Redis fails."""
    try:
        run_job.using(run_after=run_after).enqueue(**arguments)
    except errors() as error:  # Redis is loaded only where a backend uses it
        if "database" not in task_backends.settings:
            raise
        unavailable(error, "background jobs wait in the database queue")
        run_job.using(backend="database", run_after=run_after).enqueue(**arguments)


@task()
def run_job(*, name: str, arguments: dict, attempt: int) -> object:
    """The task behind every job: run the function registered as `name`. On a failure, ask for
    the next attempt (where the backend can wait) and fail, so the error is recorded."""
    function = _registry.get(name)
    if function is None:
        raise LookupError(f"No job is registered as {name}.")
    try:
        with transaction.atomic():
            return function(**arguments)
    except Exception:
        # Inline, a failed email must not turn the author's save into an error page: the
        # immediate backend records the failure and the log says what it was.
        log.exception("Background job %s failed (attempt %d of %d)", name, attempt, MAX_ATTEMPTS)
        if attempt < MAX_ATTEMPTS and task_backends[run_job.backend].supports_defer:
            _hand_over(
                run_after=timezone.now() + backoff(attempt),
                name=name,
                arguments=arguments,
                attempt=attempt + 1,
            )
        raise


def run_rounds() -> dict[str, int]:
    """The work registered with `register_round`, once each; how much each did."""
    return {label: function() for label, function in _rounds.items()}

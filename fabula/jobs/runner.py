"""Background work through one small interface.

Each app registers its job functions by name in its `AppConfig.ready()`
(`register("email-notification", send_notification)`), and code that wants something done
later calls `enqueue("email-notification", notification_id=...)`. Naming jobs keeps the
caller from importing the app that does the work, so an action may ask an app above it for a
job (a new chapter's announcement) without an upward import.

By default (`FABULA_JOBS = "inline"`) the job runs at once, in the same process, after the
transaction commits, so a small site needs no worker. With `FABULA_JOBS = "queue"` the job is
written to the `Job` table and `fabula worker` runs it. The worker also runs, on every round,
the work apps register with `register_round` (releasing scheduled chapters).

A failed job is kept with its error and retried up to MAX_ATTEMPTS times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fabula.jobs.models import Job

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(minutes=5)
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


def mode() -> str:
    return settings.FABULA_JOBS


def enqueue(name: str, **arguments) -> None:
    """Have the job `name` run with `arguments`: now (inline) or by the worker (queue).

    Arguments must be JSON values (ids, not model instances). Jobs run, or are written, when the
    surrounding transaction commits, so a job never sees data that was rolled back.
    """
    if name not in _registry:
        raise ValueError(f"No job is registered as {name}.")
    if mode() == "inline":
        transaction.on_commit(lambda: _run_inline(name, arguments))
        return
    Job.objects.create(name=name, arguments=arguments)


def _run_inline(name: str, arguments: dict) -> None:
    try:
        _registry[name](**arguments)
    except Exception:  # a failed email must not turn the author's save into an error page
        log.exception("Background job %s failed", name)


def run_rounds() -> dict[str, int]:
    """The work registered with `register_round`, once each; how much each did."""
    return {label: function() for label, function in _rounds.items()}


def run_due_jobs(limit: int = 100) -> int:
    """Run queued jobs whose time has come; returns how many ran successfully."""
    done = 0
    due = Job.objects.filter(
        done_at__isnull=True, run_after__lte=timezone.now(), attempts__lt=MAX_ATTEMPTS
    )
    for queued in list(due[:limit]):
        function = _registry.get(queued.name)
        queued.attempts += 1
        try:
            if function is None:
                raise LookupError(f"No job is registered as {queued.name}.")
            with transaction.atomic():
                function(**queued.arguments)
        except Exception as error:
            log.exception("Background job %s failed", queued.name)
            queued.error = f"{type(error).__name__}: {error}"
            queued.run_after = timezone.now() + RETRY_DELAY
            queued.save(update_fields=["attempts", "error", "run_after"])
            continue
        queued.done_at = timezone.now()
        queued.error = ""
        queued.save(update_fields=["attempts", "error", "done_at"])
        done += 1
    return done

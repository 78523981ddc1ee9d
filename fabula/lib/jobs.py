"""Background work through one small interface.

Code that wants something done later (an email, releasing scheduled chapters) calls
`enqueue(name, **arguments)` with the name of a function registered by `@job`. By default
(`FABULA_JOBS = "inline"`) the job runs at once, in the same process, so a small site needs no
worker. With `FABULA_JOBS = "queue"` the job is written to the `stories.Job` table and
`fabula worker` runs it; the worker also releases scheduled chapters on every round.

A failed job is kept with its error and retried up to MAX_ATTEMPTS times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(minutes=5)
_registry: dict[str, Callable[..., None]] = {}


def job(function: Callable[..., None]) -> Callable[..., None]:
    """Register a function as a job under its module-qualified name."""
    _registry[_name_of(function)] = function
    return function


def _name_of(function: Callable) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def mode() -> str:
    return settings.FABULA_JOBS


def enqueue(function: Callable[..., None], **arguments) -> None:
    """Have `function(**arguments)` run: now (inline) or by the worker (queue).

    Arguments must be JSON values (ids, not model instances). Queued jobs are written when the
    surrounding transaction commits, so a job never sees data that was rolled back.
    """
    name = _name_of(function)
    if name not in _registry:
        raise ValueError(f"{name} is not registered with @job.")
    if mode() == "inline":
        transaction.on_commit(lambda: _run_inline(name, arguments))
        return
    from fabula.stories.models import Job

    Job.objects.create(name=name, arguments=arguments)


def _run_inline(name: str, arguments: dict) -> None:
    try:
        _registry[name](**arguments)
    except Exception:  # a failed email must not turn the author's save into an error page
        log.exception("Background job %s failed", name)


def run_due_jobs(limit: int = 100) -> int:
    """Run queued jobs whose time has come; returns how many ran successfully."""
    from fabula.stories.models import Job

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

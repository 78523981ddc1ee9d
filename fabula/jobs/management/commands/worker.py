"""`fabula worker`: the work apps do on every round (releasing scheduled chapters and announcing
them), then the queued background jobs (django-tasks' database backend).

Run it from cron with `--once`, or leave it running: it wakes every `--interval` seconds. Several
workers may run at once, on one machine or many: each job is claimed by one of them.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from fabula.jobs.runner import run_rounds
from fabula.jobs.worker import requeue_stalled, run_due_jobs


class Command(BaseCommand):
    help = "Release and announce scheduled chapters, and run queued background jobs."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one round, then stop.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between rounds (default 30)."
        )

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            done = run_rounds()
            stalled = requeue_stalled()
            ran = run_due_jobs()
            if any(done.values()) or stalled or ran or once:
                rounds = "".join(f"{count} {label}; " for label, count in done.items())
                again = f"{stalled} stalled job(s) queued again; " if stalled else ""
                self.stdout.write(f"{rounds}{again}ran {ran} job(s).")
            if once:
                return
            close_old_connections()  # as between requests: a long-lived process drops stale ones
            time.sleep(interval)

"""`fabula worker`: release scheduled chapters and run queued background jobs.

Run it from cron with `--once`, or leave it running: it wakes every `--interval` seconds.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

import fabula.accounts.emails  # noqa: F401  (registers its jobs)
from fabula.lib.jobs import run_due_jobs
from fabula.stories.actions import release_due_chapters


class Command(BaseCommand):
    help = "Release scheduled chapters and run queued background jobs."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one round, then stop.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between rounds (default 30)."
        )

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            released = release_due_chapters()
            ran = run_due_jobs()
            if released or ran or once:
                self.stdout.write(f"Released {released} chapter(s); ran {ran} job(s).")
            if once:
                return
            time.sleep(interval)

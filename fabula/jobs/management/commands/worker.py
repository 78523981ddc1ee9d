"""`fabula worker`: the work apps do on every round (releasing scheduled chapters and announcing
them), then the queued background jobs.

Run it from cron with `--once`, or leave it running: it wakes every `--interval` seconds.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from fabula.jobs.runner import run_due_jobs, run_rounds


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
            ran = run_due_jobs()
            if any(done.values()) or ran or once:
                rounds = "".join(f"{count} {label}; " for label, count in done.items())
                self.stdout.write(f"{rounds}ran {ran} job(s).")
            if once:
                return
            time.sleep(interval)

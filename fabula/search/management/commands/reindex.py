"""`fabula reindex`: write the whole search index again, with a progress bar."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from fabula.search.indexing import rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the stories and chapters in the database."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet: bool = False, **options):
        started = time.monotonic()
        live = not quiet and sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if quiet:
                return
            filled = BAR_WIDTH * done // max(total, 1)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            line = f"[{bar}] {done}/{total} stories  {time.monotonic() - started:.0f}s"
            # On a terminal the bar redraws in place; in a log, one line per step.
            self.stdout.write(f"\r{line}" if live else line, ending="" if live else "\n")
            self.stdout.flush()

        chapters = rebuild(progress)
        if live:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {chapters} chapters in {time.monotonic() - started:.1f}s.")
        )

"""`fabula write-dump DIR`: the whole archive as a dump, the backup `fabula load-dump` restores."""

from django.core.management.base import BaseCommand

from fabula.importers.export import write_archive
from fabula.importers.progress import ProgressBar


class Command(BaseCommand):
    help = "Write the whole archive to DIR in Fabula's dump format (docs/dump-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, folder, no_progress, **options):
        writer = write_archive(
            folder, ProgressBar(self.stderr._out, enabled=False if no_progress else None)
        )
        counts = ", ".join(
            f"{n} {kind}" for kind, n in writer.counts.items() if n and kind != "problems"
        )
        self.stdout.write(f"Wrote {folder}: {counts}")

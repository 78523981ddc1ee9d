"""`fabula load-dump DIR`: restore an archive (or finish an import) from a Fabula dump."""

from django.core.management.base import BaseCommand, CommandError

from fabula.importers.dump import Dump, DumpError
from fabula.importers.load import load_dump
from fabula.importers.progress import ProgressBar


class Command(BaseCommand):
    help = "Write a Fabula dump (from write-dump or import-efiction --keep-dump) into the archive."

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, folder, no_progress, **options):
        try:
            dump = Dump(folder)
        except DumpError as error:
            raise CommandError(str(error)) from error
        report = load_dump(
            dump, progress=ProgressBar(self.stderr._out, enabled=False if no_progress else None)
        )
        for line in report.lines():
            self.stdout.write(line)

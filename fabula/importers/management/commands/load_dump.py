"""`fabula load-dump DIR`: restore an archive (or finish an import) from a Fabula dump."""

from django.core.management.base import CommandError

from fabula.importers.dump import Dump, DumpError, whole_or_refused
from fabula.importers.load import load_dump, write_report
from fabula.importers.management.base import ImportCommand
from fabula.importers.progress import ProgressBar


class Command(ImportCommand):
    help = "Write a Fabula dump (from write-dump or import-efiction --keep-dump) into the archive."

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help="load what can be read of a damaged or cut dump (otherwise: refused, exit 1)",
        )

    def handle(self, *args, folder, no_progress, allow_partial, **options):
        try:
            dump = Dump(folder)
            damage = whole_or_refused(dump, allow_partial=allow_partial)
        except DumpError as error:
            raise CommandError(str(error)) from error
        report = load_dump(
            dump, progress=ProgressBar(self.stderr._out, enabled=False if no_progress else None)
        )
        write_report(self.stdout, report, damage)

"""`fabula import-efiction --db mysql://user:pass@host/db | --dump FILE.sql`: a whole eFiction
archive in one command.

Two stages: the converter writes Fabula's dump (into --keep-dump DIR, or a temporary folder),
then the loader writes the dump into the archive and, last, the search index of the imported
stories. It ends with a report: per kind, what was read, imported and skipped, and why. Run it
again after an interruption: what is done is skipped, the rest is imported.
"""

import tempfile

from django.core.management.base import CommandError

from fabula.importers.dump import Dump, DumpError, whole_or_refused
from fabula.importers.load import load_dump, write_report
from fabula.importers.management.base import ImportCommand
from fabula.importers.progress import ProgressBar
from fabula.importers.sources.efiction import ConversionError, SourceError, convert_site


class Command(ImportCommand):
    help = "Import a whole eFiction 3.x archive from its MySQL/MariaDB database or a .sql dump."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--db", metavar="URL", help="mysql://user:password@host[:port]/database"
        )
        source.add_argument(
            "--dump", metavar="FILE.sql", help="a dump made by mysqldump or mariadb-dump"
        )
        parser.add_argument(
            "--prefix",
            default=None,
            help="the table prefix (found by itself when there is one site)",
        )
        parser.add_argument(
            "--stories-dir",
            metavar="PATH",
            help="the site's stories/ folder, for chapter text kept in files",
        )
        parser.add_argument(
            "--encoding", help="the encoding of chapter files (and of a dump that is not UTF-8)"
        )
        parser.add_argument(
            "--keep-dump", metavar="DIR", help="write the intermediate Fabula dump here and keep it"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help="import what can be read of a damaged or cut source (otherwise: refused, exit 1)",
        )

    def handle(
        self,
        *args,
        db,
        dump,
        prefix,
        stories_dir,
        encoding,
        keep_dump,
        no_progress,
        allow_partial,
        **options,
    ):
        progress = ProgressBar(self.stderr._out, enabled=False if no_progress else None)
        with tempfile.TemporaryDirectory(prefix="fabula-efiction-") as temporary:
            folder = keep_dump or temporary
            try:
                convert_site(
                    folder,
                    db=db,
                    dump=dump,
                    prefix=prefix,
                    stories_dir=stories_dir,
                    encoding=encoding,
                    progress=progress,
                )
                converted = Dump(folder)
                damage = whole_or_refused(converted, allow_partial=allow_partial, just_written=True)
            except (ConversionError, SourceError, DumpError) as error:
                raise CommandError(str(error)) from error
            report = load_dump(converted, progress=progress)
        write_report(self.stdout, report, damage)

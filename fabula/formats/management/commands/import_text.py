"""`fabula import-text FILE... [--replace]`: bring stories in from eFiction's printable text.

Each file holds one story and is imported on its own (the format's reader makes a one-story
dump, the dump loader writes it: `formats/importing.py`): a bad file is reported (file, line,
what is wrong) and imports nothing, the good ones are imported all the same, and the command
exits non-zero if any file failed.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fabula.formats.errors import FormatError
from fabula.formats.importing import DEFAULT_RATING, story_import
from fabula.formats.registry import get_format, readable_formats


class Command(BaseCommand):
    help = "Import stories from text files (eFiction's printable text), one story per file."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a story that has the same id (sid) instead of refusing the file.",
        )
        parser.add_argument(
            "--format",
            default="efiction-text",
            choices=sorted(readable_formats()),
            help="The files' format (default: efiction-text).",
        )
        parser.add_argument(
            "--rating",
            default=DEFAULT_RATING,
            help=f"The rating of stories whose file names none (default: {DEFAULT_RATING!r}).",
        )

    def handle(self, *args, files, replace, format, rating, **options):
        parse = get_format(format).parse
        if parse is None:  # --format offers only readable formats
            raise CommandError(f"{format} is a format Fabula writes but cannot read")
        failed = 0
        for path in files:
            try:
                dump = parse(Path(path).read_bytes(), path)
                story = story_import(dump=dump, replace=replace, rating=rating)
            except FormatError as error:
                failed += 1
                self.stderr.write(str(error))
            except OSError as error:
                failed += 1
                self.stderr.write(f"{path}: cannot be read: {error.strerror}")
            except Exception as error:
                failed += 1
                self.stderr.write(f"{path}: not imported: {type(error).__name__}: {error}")
            else:
                self.stdout.write(
                    f"{path}: imported story {story.pk}, “{story.title}”, "
                    f"{story.chapter_count} chapters, rated {story.rating.name}"
                )
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be imported")

"""`fabula export SID --format NAME [-o FILE]`: write one story in a format.

NAME is any format of `fabula.formats.registry`: efiction-text (the default), epub, html, txt,
atom (the story's chapters as a feed) or opds (its catalog entry). Binary formats (epub) need
`-o FILE`.

The story is written as the public sees it: its published, released chapters
(`--all-chapters` adds drafts and scheduled ones). Without `-o` the bytes go to standard output
exactly as they are, with no newline added.
"""

from pathlib import Path
from typing import TextIO, cast

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from fabula.formats.registry import formats, get_format
from fabula.stories.models import Story
from fabula.stories.permissions import visible_chapters


class Command(BaseCommand):
    help = "Write a story in one of Fabula's formats (e.g. eFiction's printable text)."

    def add_arguments(self, parser):
        parser.add_argument("story_id", type=int, metavar="SID")
        parser.add_argument(
            "--format",
            default="efiction-text",
            choices=sorted(formats()),
            help="The format (default: efiction-text).",
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE, not to standard output."
        )
        parser.add_argument(
            "--all-chapters",
            action="store_true",
            help="Include draft and scheduled chapters, not only those readers can see.",
        )

    def handle(self, *args, story_id, format, output, all_chapters, **options):
        story = Story.objects.select_related("rating").filter(pk=story_id).first()
        if story is None:
            raise CommandError(f"There is no story {story_id}.")
        chapters = (
            story.chapters.order_by("position")
            if all_chapters
            else visible_chapters(AnonymousUser(), story)
        )
        data = get_format(format).render(story, list(chapters.select_related("author")))
        if output:
            Path(output).write_bytes(data)
            return
        self._write_bytes(data)

    def _write_bytes(self, data: bytes) -> None:
        # The stream the command's OutputWrapper wraps (an attribute the stubs do not declare).
        stream = cast(TextIO, self.stdout._out)
        if hasattr(stream, "buffer"):  # a real terminal or pipe: the bytes as they are
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
            return
        try:  # a text stream (as in tests): only text formats can go there
            self.stdout.write(data.decode("utf-8"), ending="")
        except UnicodeDecodeError:
            raise CommandError("This format is binary: write it to a file with -o FILE.") from None

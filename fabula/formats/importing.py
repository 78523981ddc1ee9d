"""A story file into the archive: its format's reader makes a one-story dump of it, and the dump
loader (`fabula.importers.load`, the one way stories enter from outside) writes it.

A file is imported whole or not at all: the load runs in one transaction, and any record the
loader refuses undoes it, reported with the line of the file it came from. A story whose id is
in the archive already is refused, or with `replace` deleted first in the same transaction (so
a failed load keeps the old story).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import CharField

from fabula.accounts.models import User
from fabula.formats.efiction_text import RATING
from fabula.formats.errors import FormatError
from fabula.importers.dump import StoryDump
from fabula.importers.load import Loader
from fabula.importers.load.engine import id_or_key
from fabula.stories import actions
from fabula.stories.models import Challenge, Chapter, Series, Story
from fabula.taxonomy.models import Rating, Tag, TagKind

# The printable text names no rating; a story without one gets this (made, without any
# reading gate, if the archive has no rating of that name).
DEFAULT_RATING = "Not Rated"

# What the database would refuse (PostgreSQL) or cut: (kind, field, what it is, model).
LIMITS = (
    ("stories", "title", "title", Story),
    ("stories", "archived_at", "archived-at address", Story),
    ("members", "pen_name", "pen name", User),
    ("ratings", "name", "rating", Rating),
    ("tag_kinds", "name", "class kind", TagKind),
    ("tags", "name", "tag", Tag),
    ("series", "title", "series title", Series),
    ("challenges", "title", "challenge title", Challenge),
    ("chapters", "title", "chapter title", Chapter),
)


def story_import(*, dump: StoryDump, replace: bool = False, rating: str = DEFAULT_RATING) -> Story:
    """Write the dump's story, all or nothing; a FormatError names the file and line of what
    was refused."""
    story = dump.story()
    if story.get("rating") == RATING:
        dump.add("ratings", {"key": RATING, "name": rating}, line=1)
    _check_lengths(dump)
    key = id_or_key(story)
    with transaction.atomic():
        if story.get("id") is not None:
            old = Story.objects.filter(pk=story["id"]).first()
            if old is not None and not replace:
                raise _problem(
                    dump,
                    ("stories", key),
                    f"story {old.pk} (“{old.title}”) is already in the archive; "
                    "use --replace to overwrite it",
                )
            if old is not None:
                actions.story_delete(story=old)
        loader = Loader(dump, remember=False)
        report = loader.run()
        if report.refused:
            kind, item, reason = report.refused[0]
            raise _problem(dump, (kind, item), reason)
        story_id = loader.new_id("stories", key)
    assert story_id is not None  # loaded with nothing refused: the story has its row
    return Story.objects.select_related("rating").get(pk=story_id)


def _problem(dump: StoryDump, record: tuple[str, object], message: str) -> FormatError:
    """An error naming the file and, if the reader noted it, the line of the record."""
    kind, key = record
    line = dump.lines.get((kind, str(key)))
    return FormatError(dump.source.partition(":")[2] or dump.source, line, message)


def _check_lengths(dump: StoryDump) -> None:
    """Refuse, with a clear message, what the database would refuse (PostgreSQL) or cut."""
    for kind, field, what, model in LIMITS:
        column = model._meta.get_field(field)
        assert isinstance(column, CharField) and column.max_length is not None  # as LIMITS says
        limit = column.max_length
        for record in dump.records(kind):
            value = record.get(field) or ""
            if len(value) > limit:
                raise _problem(
                    dump,
                    (kind, id_or_key(record)),
                    f"the {what} {value[:40]!r}... is longer than {limit} characters",
                )

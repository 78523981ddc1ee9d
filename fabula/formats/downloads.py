"""Story downloads, built once per version of the story and kept as files.

AO3 builds an e-book on every request; a 200-chapter EPUB costs seconds. Here a download is
built the first time someone asks for it and then served from disk until the story changes:

- A story's *version* is a hash of everything a download prints: the story's fields, credits,
  tags, series places and challenges, each chapter's id, place, title, author, status, release
  time, last change and text lengths, the site settings that appear in books (name, address,
  date format, ...) and `LAYOUT_REVISION`, which a change of the layouts below must raise.
  Computing it costs a few small queries; for readers who see what the public sees it is kept
  in the cache until the archive's content changes (`fabula.lib.changes.changed`) or
  for PAGE_CACHE_SECONDS, so serving a cached download costs one query (the story). A guest
  without a session asking for a file already given to guests costs none: its *ticket* (path,
  ETag, type, name) is kept in the cache like a cached page.
- Files live in the `downloads` storage (`settings.STORAGES`: a folder under the data folder, or
  an object store every web node shares) as `<story id>/<version>.<format>.<ext>`. A newer
  version removes the older files of the same story and format.
- A file is built once per process however many threads ask at the same time (they wait for
  the first build). Two processes or machines may both build a new version at the same moment:
  they write the same bytes, each saved whole (renamed into place, or one object PUT), so the
  worst case is one build too many, never a torn file.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db.models.functions import Length

from fabula.conf.models import site_settings
from fabula.formats.registry import Format, get_format
from fabula.lib import pagecache
from fabula.stories.models import Chapter, SeriesEntry, Story
from fabula.stories.permissions import Viewer, is_author, is_moderator, visible_chapters

# Files up to this size are read whole to be served; bigger ones are streamed.
READ_WHOLE_BYTES = 1 << 20
# Raise when a layout (epub.py, html.py, txt.py, book.py) changes, so old files are rebuilt.
LAYOUT_REVISION = "1"


class BuiltListener(Protocol):
    def __call__(
        self,
        *,
        story: Story,
        version: str,
        format_name: str,
        chapters: Sequence[Chapter],
        data: bytes,
    ) -> None: ...


# Apps above this one that want to know of each file built (the API remembers each EPUB's
# KOReader digest) register here from their `ready()`: this app does not import them.
_built_listeners: list[BuiltListener] = []


def listen_built(listener: BuiltListener) -> None:
    if listener not in _built_listeners:
        _built_listeners.append(listener)


@dataclass(frozen=True)
class Download:
    name: str  # in the downloads storage
    version: str
    fmt: Format
    built: bool  # built by this call (False: served from the cache)


def download_storage() -> Storage:
    return storages["downloads"]


def get_download(user: Viewer, story: Story, format_name: str) -> Download:
    """The file of `story` in this format as `user` may read it, built if needed. The caller
    has checked that the user may see the story and passed its gates."""
    fmt = get_format(format_name)
    version = story_version(user, story)
    suffix = f".{fmt.name}.{fmt.extension}"
    name = f"{story.pk}/{version}{suffix}"

    def build() -> bytes:
        chapters = list(visible_chapters(user, story).select_related("author"))
        data = fmt.render(story, chapters)
        for listener in _built_listeners:
            listener(
                story=story, version=version, format_name=fmt.name, chapters=chapters, data=data
            )
        return data

    built = ensure_file(name, build)
    if built:
        _remove_older(str(story.pk), keep=name, suffix=suffix)
    return Download(name=name, version=version, fmt=fmt, built=built)


_building: dict[str, threading.Lock] = {}
_building_guard = threading.Lock()


def ensure_file(name: str, build: Callable[[], bytes]) -> bool:
    """Make sure the downloads storage holds `name`, building it at most once in this process
    however many threads ask at the same time. Returns True if this call built it."""
    store = download_storage()
    if store.exists(name):
        return False
    with _building_guard:
        lock = _building.setdefault(name, threading.Lock())
    try:
        with lock:
            if store.exists(name):  # another thread built it while we waited
                return False
            store.save(name, ContentFile(build()))
            return True
    finally:
        with _building_guard:
            _building.pop(name, None)


def _remove_older(folder: str, *, keep: str, suffix: str) -> None:
    store = download_storage()
    for file in store.listdir(folder)[1]:
        name = f"{folder}/{file}"
        if name != keep and file.endswith(suffix):
            store.delete(name)


# ---------------------------------------------------------------------------------------------
# Tickets: what a guest's repeated request needs to be served without a query


@dataclass(frozen=True)
class Ticket:
    name: str  # in the downloads storage
    etag: str
    media_type: str
    filename: str


def _ticket_key(request) -> str:
    return f"fabula:download-ticket:{pagecache.generation()}:{request.get_full_path()}"


def remembered_ticket(request) -> Ticket | None:
    """The ticket of this exact request, kept for guests without a session."""
    if not pagecache.is_cacheable(request):
        return None
    return cache.get(_ticket_key(request))


def remember_ticket(request, ticket: Ticket) -> None:
    """Keep the ticket of a download a guest without a session was given (so: past every
    gate there is for guests); a change to the archive's content retires it."""
    if pagecache.is_cacheable(request):
        cache.set(_ticket_key(request), ticket, settings.PAGE_CACHE_SECONDS)


# ---------------------------------------------------------------------------------------------
# Versions


def story_version(user: Viewer, story: Story) -> str:
    """The story's version as this reader would download it (see the module's note)."""
    privileged = is_moderator(user) or is_author(user, story)
    if privileged:  # authors and moderators may see unreleased chapters: never shared
        return compute_version(story, visible_chapters(user, story), privileged=True)
    stamp = story.updated_at.timestamp() if story.updated_at else 0
    key = f"fabula:download-version:{pagecache.generation()}:{story.pk}:{stamp}:{story.status}"
    version = cache.get(key)
    if version is None:
        version = compute_version(story, visible_chapters(user, story), privileged=False)
        cache.set(key, version, settings.PAGE_CACHE_SECONDS or 1)
    return version


def compute_version(story: Story, chapters, *, privileged: bool) -> str:
    site = site_settings()
    parts: list[object] = [
        LAYOUT_REVISION,
        privileged,
        story.pk,
        story.title,
        story.summary,
        story.notes,
        story.rating_id,
        story.rating.name,
        story.completed,
        story.language,
        story.status,
        story.published_at,
        story.updated_at,
        story.word_count,
        story.archived_at,
        site.site_name,
        site.site_url,
        site.date_format,
        site.legacy_prefix,
        site.extend_categories,
        site.printer_copyright,
    ]
    parts += list(story.credits.values_list("user_id", "user__pen_name", "position"))
    parts += list(
        story.story_tags.values_list(
            "tag_id",
            "tag__name",
            "tag__kind__name",
            "tag__kind__slug",
            "tag__parent__name",
            "position",
        )
    )
    parts += list(
        SeriesEntry.objects.filter(series__entries__story=story)
        .values_list(
            "series_id",
            "series__title",
            "story_id",
            "position",
            "confirmed",
        )
        .order_by("pk")
    )
    parts += list(story.challenges.values_list("pk", "title"))
    parts += list(_chapter_stamps(chapters))
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:24]


def _chapter_stamps(chapters) -> Iterable[tuple]:
    return (
        Chapter.objects.filter(pk__in=chapters.values("pk"))
        .order_by("position")
        .annotate(
            body_length=Length("body"),
            notes_length=Length("notes"),
            end_notes_length=Length("end_notes"),
        )
        .values_list(
            "pk",
            "position",
            "title",
            "author_id",
            "author__pen_name",
            "status",
            "release_at",
            "updated_at",
            "word_count",
            "body_length",
            "notes_length",
            "end_notes_length",
        )
    )

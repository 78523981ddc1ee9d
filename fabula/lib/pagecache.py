"""Whole pages for guests, kept in the cache.

Most readers are guests without a session, and they all see the same page: rendering it once
and serving the bytes after is what lets a small server carry a large fandom. Any write to the
archive's content ends with `lib.changes.changed(...)`, which calls `content_changed()`: it
retires every cached page of this worker (and of every worker when the cache is shared, e.g.
Redis); other workers' private caches expire after PAGE_CACHE_SECONDS. The writes a busy archive
makes every second (kudos, reviews, favourites) move only one story's counters: they end with
`lib.changes.counts_changed(...)`, which retires that story's own pages and nothing else.

A page is kept under its path and the query parameters it reads, nothing else: `?big=1`,
`?big=2`, ... on a page that reads no `big` are one entry, not one each (issue 17, High 3).
`serving.serve` also shows the page only those parameters, so the key and the page cannot
disagree. The cache itself holds at most so many bytes (`lib.boundedcache`).

Without Redis each worker keeps a cache of its own, but the generation is still one for the
whole machine: it is the modification time of a file in the data folder (`_GenerationFile`),
which every worker reads with one `stat` (microseconds). So a change made through one worker
retires every worker's pages and the parts they keep (the frame, story headers, list counts) at
once; a story's own version stays in the worker's cache, and a kudos reaches the other workers'
copies of that story's pages within PAGE_CACHE_SECONDS, as it reaches the lists.

The generation (or the story's version) changes twice: at once (this worker's next page is
rendered again) and when the change commits (a page another worker rendered in between, from
data without the change, is not kept under the new number). With read replicas, the commit
also records where the primary's log then was; a page rendered on a replica that has not
replayed so far is served but not kept, so a lagging replica never fills the cache with a page
from before the change.
"""

import functools
import hashlib
import logging
import os
import time
import zlib
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.http import QueryDict
from django.utils import translation

from fabula.lib import replicas

log = logging.getLogger(__name__)

_GENERATION_KEY = "fabula:content-generation"
_STORY_VERSION_KEY = "fabula:story-version:{}"
# Where the primary's log was at the last committed change (only with read replicas).
_POSITION_KEY = "fabula:content-position"
# Versions expire too (Redis may be told to evict only keys that expire), long after any page
# kept under them: a version made again starts from the clock, so no old page can match it.
_VERSION_SECONDS = 24 * 3600
# Pages are kept compressed: a chapter's HTML shrinks to about a third, so the same cache
# (a worker's bounded memory, or Redis) holds three times the pages, and a worker's memory
# stays small (issue 18, item 6). zlib's fastest level costs about 0.1 ms a page to
# compress and less to decompress: far below building the page (docs/decisions.md).
_COMPRESSION = 1
Kept = TypeVar("Kept")


def _version_lifetime() -> int:
    return max(_VERSION_SECONDS, 2 * settings.PAGE_CACHE_SECONDS)


def _version(key: str) -> int:
    """The number under `key`, made when missing. A new one starts from the clock, not from 1,
    so that a version the cache forgot can never come back to a number old pages were kept
    under."""
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), _version_lifetime())
        version = cache.get(key, 0)
    return version


def _bump(key: str) -> None:
    if key == _GENERATION_KEY and _private_cache() and _GenerationFile.bump():
        return
    try:
        cache.incr(key)
    except ValueError:  # not there (never made, or evicted): any new number will do
        cache.set(key, time.time_ns(), _version_lifetime())


class _GenerationFile:
    """The generation as a file's modification time, for workers that each keep their own cache
    (see the module). Set to a strictly larger number at each change, in nanoseconds; read
    back to make sure the file system kept it (one that keeps coarse times gets a whole second
    more). Where the data folder cannot hold the file (read-only), each worker keeps its own
    generation in its cache, as before, and the log says so once."""

    @staticmethod
    def path() -> Path:
        """One file per database: the generation is its content's (a bench's archive or the
        test suite's beside a site in the same folder do not retire each other's pages)."""
        database = connection.settings_dict
        return _generation_file(
            str(settings.DATA_DIR),
            f"{database['ENGINE']}|{database['HOST']}|{database['PORT']}|{database['NAME']}",
        )

    @classmethod
    def read(cls) -> int | None:
        try:
            return os.stat(cls.path()).st_mtime_ns
        except FileNotFoundError:
            pass
        except OSError as error:
            _cannot_share(error)
            return None
        try:
            cls.path().parent.mkdir(parents=True, exist_ok=True)
            cls.path().touch()
            return os.stat(cls.path()).st_mtime_ns
        except OSError as error:
            _cannot_share(error)
            return None

    @classmethod
    def bump(cls) -> bool:
        """Move the generation on; False when the file cannot be written."""
        before = cls.read()
        if before is None:
            return False
        try:
            for step in (1, 10**9):
                after = max(time.time_ns(), before + step)
                os.utime(cls.path(), ns=(after, after))
                if (cls.read() or 0) > before:
                    break
        except OSError as error:
            _cannot_share(error)
            return False
        return True


@functools.lru_cache(maxsize=16)
def _generation_file(data_dir: str, database: str) -> Path:
    """The file's path, made once: it is asked five times a page."""
    name = hashlib.blake2b(database.encode(), digest_size=6).hexdigest()
    return Path(data_dir) / f"content-generation-{name}"


_complained = False


def _cannot_share(error: OSError) -> None:
    global _complained
    if not _complained:
        _complained = True
        log.warning(
            "The content generation cannot be kept in the data folder (%s): each worker keeps "
            "its own, and other workers see a change within PAGE_CACHE_SECONDS.",
            error,
        )


def _private_cache() -> bool:
    """Does each worker keep a cache of its own (no Redis)?"""
    return isinstance(caches["default"], LocMemCache)


def generation() -> int:
    """The content's generation: it changes whenever the archive's content changes, so other
    caches (built downloads' versions, say) can key on it."""
    if _private_cache():
        shared = _GenerationFile.read()
        if shared is not None:
            return shared
    return _version(_GENERATION_KEY)


def content_changed() -> None:
    """Retire every cached page (now, and again when the change commits: see the module)."""
    _retire([_GENERATION_KEY])


def story_changed(story_ids: Iterable[int]) -> None:
    """Retire the cached pages of these stories only (their index, chapters and whole-story
    page): what a kudos or a review changes. Lists showing the story catch up within
    PAGE_CACHE_SECONDS."""
    _retire([_STORY_VERSION_KEY.format(story_id) for story_id in story_ids])


def _retire(keys: list[str]) -> None:
    for key in keys:
        _bump(key)
    transaction.on_commit(lambda: _committed(keys))


def _committed(keys: list[str]) -> None:
    if replicas.replica_aliases():
        # Before the versions: a page read on a replica under the new version is then checked
        # against this position (see the module).
        cache.set(_POSITION_KEY, replicas.primary_position(), None)
    for key in keys:
        _bump(key)


def _rendered_from_current_data() -> bool:
    """False when this request read a replica that lags behind the last committed change."""
    replica = replicas.reading_replica()
    if replica is None:
        return True
    position = cache.get(_POSITION_KEY)
    return position is None or replicas.replica_has_replayed(replica, position)


def is_cacheable(request) -> bool:
    """A guest's plain GET, with no session whose consent or messages could change the page."""
    return (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def known_query(query: QueryDict, reads: Collection[str]) -> QueryDict:
    """Only the parameters named in `reads`, in the order the address gave them."""
    known = QueryDict(mutable=True)
    for name in query:
        if name in reads:
            known.setlist(name, query.getlist(name))
    known._mutable = False
    return known


def page_key(request, reads: Collection[str], story: int | None = None) -> str:
    """The cache key of a page: its path and the parameters it reads, sorted by name (so
    `?a=1&b=2` and `?b=2&a=1` are one page) and hashed (a search of a thousand characters makes a
    key no longer than any other); for a page of one story, that story's version too. The
    interface's language is part of the key: a German guest and an English one get their own."""
    known = known_query(request.GET, reads)
    pairs = sorted((name, known.getlist(name)) for name in known)
    language = translation.get_language()
    digest = hashlib.blake2b(
        f"{language}:{request.path}?{pairs!r}".encode(), digest_size=20
    ).hexdigest()
    version = str(generation())
    if story is not None:
        version += f".{_version(_STORY_VERSION_KEY.format(story))}"
    return f"fabula:page:{version}:{digest}"


def cached_page(
    request, render: Callable[[], bytes], *, reads: Collection[str], story: int | None = None
) -> bytes:
    """The page's bytes for a guest from the cache, rendering them when missing. `reads` names
    every query parameter the page depends on; any other parameter makes no new entry. `story`
    names the story a page is about, whose own changes retire it (`story_changed`)."""
    if not is_cacheable(request):
        return render()
    key = page_key(request, reads, story)
    kept = cache.get(key)
    if kept is not None:
        return zlib.decompress(kept)
    body = render()
    if _rendered_from_current_data():
        cache.set(key, zlib.compress(body, _COMPRESSION), settings.PAGE_CACHE_SECONDS)
    return body


def kept_for_generation(key: str, make: Callable[[], Kept], seconds: int) -> Kept:
    """What `make()` builds from the archive's content, kept in the cache under the content
    generation (any `changed()` retires it, as it retires the pages), and, like a page, not
    kept when it was read from a replica behind the last change."""
    versioned = f"fabula:kept:{generation()}:{key}"
    value = cache.get(versioned)
    if value is None:
        value = make()
        if _rendered_from_current_data():
            cache.set(versioned, value, seconds)
    return cast(Kept, value)


# Parts of a page that are the same for every guest reading in one language (the site's header
# and footer), kept in this worker's memory under the content generation they were rendered in:
# a page built cold then renders only what is its own. A dictionary and not the shared cache: a
# part is a few kilobytes every worker makes in a millisecond, not worth a round trip to Redis.
# The generation is in the key, not only checked when reading: a part rendered from data older
# than a change that came while it was rendered stays under the old number, never served again.
_fragments: dict[tuple[int, str, str], str] = {}
_FRAGMENTS_KEPT = 64  # a few generations of (parts x languages); older ones are dropped


def guest_fragment(name: str, render: Callable[[], str]) -> str:
    """The part `name` of a guest's page in the current language, rendered once per content
    generation (any `changed()` retires it, as it retires the pages)."""
    key = (generation(), name, translation.get_language())
    fragment = _fragments.get(key)
    if fragment is None:
        fragment = render()
        if _rendered_from_current_data():
            if len(_fragments) >= _FRAGMENTS_KEPT:
                _fragments.clear()
            _fragments[key] = fragment
    return fragment

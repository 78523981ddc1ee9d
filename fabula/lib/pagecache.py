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
"""

import hashlib
import time
from collections.abc import Callable, Collection, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict

_GENERATION_KEY = "fabula:content-generation"
_STORY_VERSION_KEY = "fabula:story-version:{}"


def _version(key: str) -> int:
    """The number under `key`, made when missing. A new one starts from the clock, not from 1,
    so that a version the cache forgot can never come back to a number old pages were kept
    under."""
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), None)
        version = cache.get(key, 0)
    return version


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (never made, or evicted): any new number will do
        cache.set(key, time.time_ns(), None)


def generation() -> int:
    """The content's generation: it changes whenever the archive's content changes, so other
    caches (built downloads' versions, say) can key on it."""
    return _version(_GENERATION_KEY)


def content_changed() -> None:
    """Retire every cached page."""
    _bump(_GENERATION_KEY)


def story_changed(story_ids: Iterable[int]) -> None:
    """Retire the cached pages of these stories only (their index, chapters and whole-story
    page): what a kudos or a review changes. Lists showing the story catch up within
    PAGE_CACHE_SECONDS."""
    for story_id in story_ids:
        _bump(_STORY_VERSION_KEY.format(story_id))


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
    key no longer than any other); for a page of one story, that story's version too."""
    known = known_query(request.GET, reads)
    pairs = sorted((name, known.getlist(name)) for name in known)
    digest = hashlib.blake2b(f"{request.path}?{pairs!r}".encode(), digest_size=20).hexdigest()
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
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, body, settings.PAGE_CACHE_SECONDS)
    return body

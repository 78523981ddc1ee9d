"""Whole pages for guests, kept in the cache.

Most readers are guests without a session, and they all see the same page: rendering it once
and serving the bytes after is what lets a small server carry a large fandom. Any write to the
archive's content ends with `lib.changes.changed(...)`, which calls `content_changed()`: it
retires every cached page of this worker (and of every worker when the cache is shared, e.g.
Redis); other workers' private caches expire after PAGE_CACHE_SECONDS.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

_GENERATION_KEY = "fabula:content-generation"


def _generation() -> int:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(_GENERATION_KEY, generation, None)
    return generation


def generation() -> int:
    """The content's generation: it changes whenever the archive's content changes, so other
    caches (built downloads' versions, say) can key on it."""
    return _generation()


def content_changed() -> None:
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 2, None)


def is_cacheable(request) -> bool:
    """A guest's plain GET, with no session whose consent or messages could change the page."""
    return (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cached_page(request, render: Callable[[], bytes]) -> bytes:
    """The page's bytes for a guest from the cache, rendering them when missing."""
    if not is_cacheable(request):
        return render()
    key = f"fabula:page:{_generation()}:{request.get_full_path()}"
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, body, settings.PAGE_CACHE_SECONDS)
    return body

"""Serving reader pages through the guest page cache (`fabula.lib.pagecache`).

Only a page every guest would see alike is kept: a plain 200 page. Errors, redirects and gate
pages (which depend on what the reader answered) are served but never stored, so a cache hit
always means "this guest gets the page itself"; the chapter views count a read on that.

Each page names the query parameters it reads (`@served("page", "sort")`). The page is built
from a request that holds only those, for guests and members alike: a parameter the page did
not name is not seen, so it can change neither the page nor its place in the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from fabula.lib.pagecache import cached_page, is_cacheable, known_query


class _NotCacheable(Exception):
    """Carries a response out of the cache's render step without storing it."""

    def __init__(self, response: HttpResponse):
        super().__init__("response not cacheable")
        self.response = response


def not_cacheable(response: HttpResponse) -> HttpResponse:
    """Mark a response (a gate, say) as one the guest cache must not keep."""
    # An attribute of our own on the response, read back in `serve`; the stubs do not know it.
    response.cacheable = False  # type: ignore[attr-defined]
    return response


def keep_only(request, reads: Collection[str]) -> None:
    """Leave the request only the query parameters in `reads` (its links, `next` fields and
    forms are built from these, so they too are the same for every such address)."""
    known = known_query(request.GET, reads)
    request.GET = known
    request.META["QUERY_STRING"] = known.urlencode()


def serve(
    request,
    build: Callable[[], HttpResponse],
    *,
    reads: Collection[str],
    story: int | None = None,
) -> HttpResponse:
    """The page `build` makes, from the guest cache when possible. Http404 passes through.
    `reads` names the query parameters the page reads; the page sees no others. `story` is the
    story a page belongs to, if any: a kudos or review there retires it (`pagecache`)."""
    keep_only(request, reads)
    if not is_cacheable(request):
        return _for_one_reader(build())

    def render() -> bytes:
        response = build()
        if response.status_code != 200 or not getattr(response, "cacheable", True):
            raise _NotCacheable(response)
        return response.content

    try:
        page = HttpResponse(cached_page(request, render, reads=reads, story=story))
    except _NotCacheable as stop:
        return _for_one_reader(stop.response)
    # Every guest gets these bytes: a shared proxy in front may keep them as long as this
    # server's own cache does (s-maxage). A browser asks again each time (max-age=0) and gets a
    # 304 while its copy is still the page, so a guest who just left kudos sees them at once.
    # Vary: Cookie keeps a member's (or a guest's with a session) request from being answered
    # with them.
    patch_cache_control(page, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS)
    patch_vary_headers(page, ["Cookie"])
    return page


def _for_one_reader(response: HttpResponse) -> HttpResponse:
    """A member's page, a gate or an error: no shared cache may keep it; the browser asks again
    each time (and gets a 304 when its copy is still the page)."""
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def served(
    *reads: str, story: str | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view whose page goes through the guest cache (`serve` around the whole view), reading
    the query parameters named; `story` names the view's argument holding the id of the story
    the page belongs to."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request, *args, **kwargs) -> HttpResponse:
            return serve(
                request,
                lambda: view(request, *args, **kwargs),
                reads=reads,
                story=kwargs[story] if story else None,
            )

        return wrapper

    return decorate


def shows_page(response: HttpResponse) -> bool:
    """Did the reader get the page itself (not a gate, an error or a redirect)?"""
    return response.status_code == 200 and getattr(response, "cacheable", True)

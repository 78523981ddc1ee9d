"""Guests' reads kept in the page cache, so an API object costs what its page costs.

A guest's answer (no token) depends only on the address, as a guest's page does, so the bytes
of a read are kept in the guest page cache (`lib.pagecache`) under the same kind of key: the
path and the query parameters the operation reads (those it declares, and `fields`), with the
content generation in it, so any change to the archive (`lib.changes.changed`) retires every
kept answer at once, pages and API alike; an answer about one story (its object, a chapter, its
reviews: a `story_id` in the path) has that story's version in its key too, so a kudos or a
review there (`counts_changed`) retires it as it retires the story's pages. Lists catch up
within PAGE_CACHE_SECONDS, as the pages' lists do. The ETag and Last-Modified are kept beside
the body: a conditional request that hits the cache is answered 304 without building anything,
nor even parsing the parameters. Reading from the cache is not counted against the guest's
rate limit (as the search page does not count a search served from the cache): only building
costs.

Answers with a token are never kept: they depend on the member.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBase

from fabula.api.responses import Answer, answer
from fabula.lib.pagecache import page_key
from fabula.lib.serving import keep_only

# The headers of a conditional request: taken off while the kept answer is built, so that the
# cache stores the whole body even when the first asker already had it.
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")

Run = Callable[..., HttpResponseBase]


def is_guest_read(request) -> bool:
    return (
        request.method == "GET"
        and settings.PAGE_CACHE_SECONDS > 0
        and "HTTP_AUTHORIZATION" not in request.META
    )


def query_names(operation) -> frozenset[str]:
    """The query parameters a Ninja operation declares, and `fields`, which every read takes."""
    names = {"fields"}
    for model in operation.signature.models:
        if model.__ninja_param_source__ == "query":
            names.update(model.__ninja_flatten_map__)
    return frozenset(names)


def guest_cached(run: Run) -> Run:
    """A Ninja "view" decorator (`site.py` gives it every operation): wraps a read's `run`,
    before Ninja reads the parameters, answering guests from the page cache and keeping what it
    builds for them. Writes are left as they are."""
    operation = run.__self__  # type: ignore[attr-defined]  # a bound Operation.run
    if operation.methods != ["GET"]:
        return run
    reads = query_names(operation)

    @wraps(run)
    def cached_run(request, **path) -> HttpResponseBase:
        if not is_guest_read(request):
            return run(request, **path)
        keep_only(request, reads)  # the answer sees no parameter its key leaves out
        story = path.get("story_id", "")
        key = page_key(request, reads, int(story) if str(story).isdigit() else None)
        kept = cache.get(key)
        if kept is None:
            conditional = {
                name: request.META.pop(name) for name in CONDITIONAL if name in request.META
            }
            response = run(request, **path)
            request.META.update(conditional)
            if response.status_code != 200 or not isinstance(response, HttpResponse):
                # errors and refusals are not kept
                return response
            kept = Answer.of(response)
            cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
        return answer(request, kept)

    return cached_run

"""How every read answers: JSON trimmed to `fields=`, an ETag and Last-Modified, 304 when the
client already has it, and for lists a page with `Link` headers.

The ETag is a hash of the body as sent (after trimming), so it changes exactly when what the
client would receive changes, whoever the reader is. Answers vary with the token, so shared
caches keep them apart by `Authorization`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from fabula.api.problems import Problem
from fabula.stories.listing.pages import url_with

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10_000


def trim(data: Any, fields: str | None) -> Any:
    """Keep only the named top-level keys of an object, of each item of a list, or of each
    item of a page's `results`; an empty or absent `fields` keeps everything. Unknown names are
    ignored. (`site.FIELDS_PARAMETER` says so in the OpenAPI document.)"""
    wanted = {name.strip() for name in (fields or "").split(",") if name.strip()}
    if not wanted:
        return data

    def keep(item: Any) -> Any:
        return {k: v for k, v in item.items() if k in wanted} if isinstance(item, dict) else item

    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return {**data, "results": [keep(item) for item in data["results"]]}
    if isinstance(data, list):
        return [keep(item) for item in data]
    return keep(data)


@dataclass(frozen=True)
class Answer:
    """What a read answers, as sent (and as `caching` keeps it): the body, its ETag, and the
    Last-Modified and Link headers, if any."""

    body: bytes
    etag: str
    last_modified: str | None = None
    link: str | None = None

    @classmethod
    def of(cls, response: HttpResponse) -> Answer:
        return cls(
            response.content,
            response["ETag"],
            response.get("Last-Modified"),
            response.get("Link"),
        )


def respond(
    request,
    data: Any,
    *,
    last_modified: datetime | None = None,
    links: Sequence[str] = (),
    status: int = 200,
) -> HttpResponse:
    """The JSON answer to a read, or 304 when the client's copy is still good."""
    body = json.dumps(trim(data, request.GET.get("fields")), separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    when = http_date(last_modified.timestamp()) if last_modified is not None else None
    return answer(request, Answer(body, etag, when, ", ".join(links) or None), status)


def answer(request, read: Answer, status: int = 200) -> HttpResponse:
    if status == 200 and _client_has(request, read.etag, read.last_modified):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(read.body, status=status, content_type="application/json")
    response["ETag"] = read.etag
    if read.last_modified is not None:
        response["Last-Modified"] = read.last_modified
    if read.link is not None:
        response["Link"] = read.link
    with_token = "HTTP_AUTHORIZATION" in request.META
    response["Cache-Control"] = "private, no-cache" if with_token else "public, max-age=60"
    patch_vary_headers(response, ["Authorization"])
    return response


def _client_has(request, etag: str, last_modified: str | None) -> bool:
    match = request.META.get("HTTP_IF_NONE_MATCH")
    if match:  # If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2)
        tags = parse_etags(match)
        return "*" in tags or etag in tags or etag.strip('"') in [t.strip('"') for t in tags]
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if since and last_modified is not None:
        when, modified = parse_http_date_safe(since), parse_http_date_safe(last_modified)
        return when is not None and modified is not None and modified <= when
    return False


@dataclass
class PageOf:
    """One page of a list: its items, and the body and `Link` header that describe it."""

    items: list
    number: int
    pages: int
    count: int
    links: list[str]

    def body(self, results: list) -> dict:
        return {"count": self.count, "page": self.number, "pages": self.pages, "results": results}


def page_of(request, items, *, count: int | None = None) -> PageOf:
    """The page `?page=` asks for (`?per_page=` items, 20 by default, at most 100); a page past
    the end is a 404 problem, as on the site's lists. `items` may be a queryset or a list."""
    number = _number(request, "page", 1, MAX_PAGE)
    per_page = _number(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    paginator = Paginator(items if count is None else range(count), per_page)
    if number > paginator.num_pages:
        raise Problem(404, "No such page", f"There are {paginator.num_pages} pages.")
    page = paginator.page(number)
    base = request.build_absolute_uri(request.path)

    def link(to: int, rel: str) -> str:
        return f'<{base}{url_with(request.GET, page=to)}>; rel="{rel}"'

    links = [link(1, "first"), link(paginator.num_pages, "last")]
    if page.has_previous():
        links.append(link(number - 1, "prev"))
    if page.has_next():
        links.append(link(number + 1, "next"))
    return PageOf(list(page.object_list), number, paginator.num_pages, paginator.count, links)


def _number(request, name: str, default: int, highest: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Problem(400, "Bad parameter", f"“{name}” is a whole number.") from None
    if not 1 <= value <= highest:
        raise Problem(400, "Bad parameter", f"“{name}” is from 1 to {highest}.")
    return value

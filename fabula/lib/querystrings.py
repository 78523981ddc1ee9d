"""Query strings without NUL characters, before any view reads them.

No browser sends a NUL from a link or a form, and PostgreSQL refuses one in any text it is asked
to compare ("text fields cannot contain NUL"), so `?lang=%00` answered 500 there while SQLite
shrugged. Forms refuse NUL themselves (Django's CharField); this is the same rule for the
query string, in one place for every page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict


class NulFreeQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            # Parsed again from the query string with the NULs out (immutable, as Django's is).
            request.GET = QueryDict(
                request.GET.urlencode().replace("%00", ""), encoding=request.encoding
            )
        return self.get_response(request)

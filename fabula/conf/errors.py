"""Error pages Django would otherwise answer with a blank page or its own English: a request with
the wrong method (405: "GET /accounts/logout/") and a refused form (CSRF failure)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: say what happened and what to do, in the site's own page."""
    return render(request, "403_csrf.html", status=403)


class MethodNotAllowedPage:
    """Gives the empty 405 answers of views (`require_POST`, LogoutView on GET) a page when a
    browser asks (it accepts HTML); the Allow header stays as the view set it. Machines (the
    CSP report endpoint's clients, feed readers) keep the bare answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.content
            or "text/html" not in request.headers.get("Accept", "")
        ):
            return response
        page = render(request, "405.html", {"allowed": response.get("Allow", "")}, status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page

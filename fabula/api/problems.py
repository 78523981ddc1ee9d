"""Errors as RFC 9457 problem details: `application/problem+json` with a title for the kind of
problem and a `detail` written for the person reading it.

Views raise `Problem` (or let a refusal, a 404 or a 403 from the permission functions rise);
`site.py` turns each into a response here.
"""

from __future__ import annotations

import json

from django.http import HttpResponse

from fabula.lib.refusals import ActionRefused, NotAllowed, RateLimited

MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    def __init__(
        self, status: int, title: str, detail: str = "", headers: dict[str, str] | None = None
    ):
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}


def problem_response(problem: Problem, instance: str = "") -> HttpResponse:
    body = {"type": "about:blank", "title": problem.title, "status": problem.status}
    if problem.detail:
        body["detail"] = problem.detail
    if instance:
        body["instance"] = instance
    response = HttpResponse(json.dumps(body), status=problem.status, content_type=MEDIA_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def from_refusal(refusal: ActionRefused) -> Problem:
    """An action's refusal, with the status a page would show it with."""
    if isinstance(refusal, RateLimited):
        return Problem(
            429, "Too many requests", str(refusal), {"Retry-After": str(refusal.retry_after)}
        )
    if isinstance(refusal, NotAllowed):
        return Problem(403, "Not allowed", str(refusal))
    return Problem(422, "Refused", str(refusal))

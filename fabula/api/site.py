"""The API object: its routers, its OpenAPI document and docs page, and its errors.

Every error leaves as RFC 9457 problem+json (`problems.py`): the 404 and 403 the permission
functions raise, an action's refusal (422, 403, or 429 with Retry-After), Ninja's own input and
authentication errors, and the rate limit every request passes first (`limits.py`).
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fabula.api import authoring, members, reading
from fabula.api.caching import guest_cached
from fabula.api.problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from fabula.api.problems import Problem, from_refusal, problem_response
from fabula.api.routes import router
from fabula.lib.refusals import ActionRefused

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem: what went wrong, for a person to read.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "required": ["type", "title", "status"],
}


# Every read answers through `responses.respond`, which trims its JSON to `fields=`; the
# operations' signatures do not name it (they never read it), so the document is told here.
FIELDS_PARAMETER = {
    "name": "fields",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "default": ""},
    "description": (
        "Property names to keep, separated by commas (`fields=id,title`): the answer's object, "
        "each item of a list, or each item of a page's `results`, keeps only these. Empty or "
        "absent: everything. Unknown names are ignored."
    ),
}


class FabulaAPI(NinjaAPI):
    """Ninja's API, whose document says that every error answers problem+json and that every
    read takes `fields=`."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            if "get" in operations:
                operations["get"].setdefault("parameters", []).append(FIELDS_PARAMETER)
            for operation in operations.values():
                for status, answer in operation["responses"].items():
                    if int(status) >= 400:
                        answer["content"] = problem
                        answer["description"] = HTTPStatus(int(status)).phrase
        return schema


api = FabulaAPI(
    title="Fabula API",
    version="1",
    description=(
        "The archive's stories, chapters, tags, authors, series, challenges, reviews, recent "
        "and top lists and search, as the pages show them to the reader asking; and, with a "
        "personal access token made on your account page (`Authorization: Bearer fabt_…`), "
        "your own lists, history, blocklist, reviews and stories (drafts, chapters, their "
        "order and release times). Lists take `page` and `per_page` and answer a `Link` "
        "header; every read answers an `ETag` (send it back in `If-None-Match` for a 304) and "
        "takes `fields=a,b` to trim objects. Errors are RFC 9457 problem details."
    ),
    urls_namespace="api",
)
# The modules add their operations to the one router when imported (reading first: its
# order is the document's).
for module in (reading, members, authoring):
    assert module.router is router
api.add_router("/", router)
# Guests' reads come from the page cache when they can (`caching.py`).
api.add_decorator(guest_cached, mode="view")


def _path(request) -> str:
    return request.path


@api.exception_handler(Problem)
def on_problem(request, problem: Problem):
    return problem_response(problem, _path(request))


@api.exception_handler(Http404)
def on_not_found(request, error: Http404):
    text = str(error) if str(error) and "matches the given query" not in str(error) else ""
    return problem_response(
        Problem(404, "Not found", text or "There is nothing here."), _path(request)
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request, error: PermissionDenied):
    return problem_response(Problem(403, "Forbidden", str(error)), _path(request))


@api.exception_handler(ActionRefused)
def on_refusal(request, refusal: ActionRefused):
    return problem_response(from_refusal(refusal), _path(request))


@api.exception_handler(ValidationError)
def on_invalid(request, error: ValidationError):
    lines = []
    for item in error.errors:
        where = ".".join(
            str(part) for part in item.get("loc", ()) if part not in ("query", "body", "path")
        )
        lines.append(f"{where}: {item.get('msg', 'invalid')}" if where else item.get("msg", ""))
    return problem_response(Problem(400, "Bad request", "; ".join(lines)), _path(request))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, error: AuthenticationError):
    return problem_response(
        Problem(
            401,
            "Token needed",
            "Send a personal access token: “Authorization: Bearer fabt_…”.",
            {"WWW-Authenticate": 'Bearer realm="fabula"'},
        ),
        _path(request),
    )


@api.exception_handler(HttpError)
def on_http_error(request, error: HttpError):
    return problem_response(Problem(error.status_code, "Error", str(error)), _path(request))

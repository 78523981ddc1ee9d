"""Reading eFiction's query strings the way the links in the wild spell them.

Old links were copied out of HTML source, so many arrive with `&amp;` instead of `&`
(`viewstory.php?sid=1&amp;chapter=2`): Django then sees a parameter named `amp;chapter`. Ids
must be plain positive numbers; anything else (`sid=abc`, `sid=`, `sid=-1`, a number too big for
the database) names nothing, and the caller answers 404.
"""

from __future__ import annotations

from django.http import Http404

from fabula.lib.numbers import positive_id


def legacy_params(request) -> dict[str, str]:
    """The query parameters, with any `amp;` left over from HTML-escaped links removed.

    When a name is given twice the first value counts.
    """
    params: dict[str, str] = {}
    for name, values in request.GET.lists():
        while name.startswith("amp;"):
            name = name[4:]
        if name and values and name not in params:
            params[name] = values[0]
    return params


def parse_id(value: str | None) -> int | None:
    """A positive id written in ASCII digits, or None (`lib.numbers`, the one strict parse)."""
    return positive_id(value)


def require_id(params: dict[str, str], name: str) -> int:
    """The id in parameter `name`, or a 404 naming what was wrong."""
    number = parse_id(params.get(name))
    if number is None:
        raise Http404(f"{name} must be a positive number.")
    return number

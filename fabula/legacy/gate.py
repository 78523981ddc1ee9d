"""eFiction's reading gates, answered through its own links.

eFiction asked for age consent or showed a rating's warning at the story's address, with a link
that repeats the request plus `&ageconsent=ok&warning=<rid>` (or `&warning=<rid>`). Those links
are still in bookmarks and pages; they answer Fabula's gate (`permissions.pass_gate`) when the
number is the story's rating, and the request then goes on as if the gate had been passed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fabula.legacy.params import parse_id
from fabula.stories import permissions
from fabula.stories.models import Story

_GATE_PARAMS = ("ageconsent", "warning")


def answer_gate(request, story: Story, params: dict[str, str]) -> None:
    """Record the answer an eFiction gate link carries, if it names this story's rating."""
    if parse_id(params.get("warning")) != story.rating_id:
        return
    rating = story.rating
    if params.get("ageconsent") == "ok" and rating.age_consent:
        permissions.pass_gate(request, story, "age")
    elif rating.warning:
        permissions.pass_gate(request, story, "warning")


def continue_link(script: str, params: dict[str, str], story: Story, gate: str) -> str:
    """The relative link that answers `gate` and comes back to the same page."""
    kept = [(name, value) for name, value in params.items() if name not in _GATE_PARAMS]
    answer = [("ageconsent", "ok")] if gate == "age" else []
    return f"{script}?{urlencode([*kept, *answer, ('warning', story.rating_id)])}"

"""Who may use each community route: every persona against every route.

For each route and persona: the status answered, and whether anything changed. A refusal
(403, 404, 400, or a guest sent to the login page) must leave every community table and every
count exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from fabula.community import actions
from fabula.community.models import (
    Favourite,
    Kudos,
    Reading,
    Review,
    Subscription,
)
from fabula.notifications.models import Notification
from fabula.stories.models import Block, Story

PERSONAS = ["anonymous", "reader", "author", "coauthor", "other_author", "moderator", "admin"]
LOGIN = "login"  # a guest sent to log in: a refusal


def snapshot():
    """Everything a community route could change."""
    return (
        sorted(Review.objects.values_list("pk", "body", "rating", "parent_id")),
        Kudos.objects.count(),
        Favourite.objects.count(),
        Subscription.objects.count(),
        sorted(
            Reading.objects.values_list("story_id", "chapter_id", "position", "marked_for_later"),
            key=str,
        ),
        Block.objects.count(),
        Notification.objects.filter(read_at__isnull=True).count(),
        sorted(
            Story.objects.values_list(
                "pk", "review_count", "rating_average", "kudos_count", "favourite_count"
            )
        ),
    )


@pytest.fixture
def world(make_story, author, coauthor, reader, other_author):
    story = make_story(author, "Public", coauthors=[coauthor])
    draft = make_story(author, "Draft", coauthors=[coauthor], status="draft")
    review = actions.review_post(
        chapter=story.chapters.get(position=1), user=reader, body="Lovely", rating=8
    )
    actions.reading_save_position(user=reader, chapter=story.chapters.first(), position=0.3)
    return {"story": story, "draft": draft, "review": review, "other_author": other_author}


def answers(*statuses: int | str) -> dict[str, int | str]:
    """The status each persona gets, given in the order of PERSONAS:
    anonymous, reader, author, coauthor, other_author, moderator, admin."""
    return dict(zip(PERSONAS, statuses, strict=True))


# route -> (method, url(world), data, {persona: status}); 302 means done, LOGIN a guest turned away.
Data = dict[str, str] | Callable[[dict], dict[str, str]]
Route = tuple[str, Callable[[dict], str], Data, dict[str, int | str]]
ROUTES: dict[str, Route] = {
    "review-post": (
        "post",
        lambda w: reverse("community:review-new", args=[w["story"].pk]),
        # The chapter by its id, as the form sends it (ids differ between databases).
        lambda w: {"body": "Nice", "chapter": str(w["story"].chapters.get(position=1).pk)},
        answers(403, 302, 403, 403, 302, 302, 302),
    ),
    "review-post-draft": (
        "post",
        lambda w: reverse("community:review-new", args=[w["draft"].pk]),
        {"body": "Nice"},
        answers(404, 404, 403, 403, 404, 302, 302),
    ),
    "review-form": (
        "get",
        lambda w: reverse("community:review-new", args=[w["story"].pk]),
        {},
        answers(LOGIN, 200, 403, 403, 200, 200, 200),
    ),
    "reviews-of-draft": (
        "get",
        lambda w: reverse("community:story-reviews", args=[w["draft"].pk]),
        {},
        answers(404, 404, 200, 200, 404, 200, 200),
    ),
    "review-reply": (
        "post",
        lambda w: reverse("community:review-reply", args=[w["review"].pk]),
        {"body": "Thanks"},
        answers(LOGIN, 302, 302, 302, 302, 302, 302),
    ),
    "review-edit": (
        "post",
        lambda w: reverse("community:review-edit", args=[w["review"].pk]),
        {"body": "Edited", "rating": "6"},
        answers(LOGIN, 302, 403, 403, 403, 403, 403),
    ),
    "review-edit-form": (
        "get",
        lambda w: reverse("community:review-edit", args=[w["review"].pk]),
        {},
        answers(LOGIN, 200, 403, 403, 403, 403, 403),
    ),
    "review-delete": (
        "post",
        lambda w: reverse("community:review-delete", args=[w["review"].pk]),
        {},
        answers(LOGIN, 302, 403, 403, 403, 302, 302),
    ),
    "review-unknown": (
        "post",
        lambda w: reverse("community:review-delete", args=[987654]),
        {},
        answers(LOGIN, 404, 404, 404, 404, 404, 404),
    ),
    "kudos": (
        "post",
        lambda w: reverse("community:kudos", args=[w["story"].pk]),
        {},
        answers(200, 302, 403, 403, 302, 302, 302),
    ),
    "kudos-draft": (
        "post",
        lambda w: reverse("community:kudos", args=[w["draft"].pk]),
        {},
        answers(404, 404, 403, 403, 404, 302, 302),
    ),
    "favourite": (
        "post",
        lambda w: reverse("community:favourite", args=["story", w["story"].pk]),
        {"note": "Mine"},
        answers(LOGIN, 302, 302, 302, 302, 302, 302),
    ),
    "follow-draft": (
        "post",
        lambda w: reverse("community:follow", args=["story", w["draft"].pk]),
        {},
        answers(LOGIN, 404, 302, 302, 404, 302, 302),
    ),
    "later": (
        "post",
        lambda w: reverse("community:later", args=[w["story"].pk]),
        {},
        answers(LOGIN, 302, 302, 302, 302, 302, 302),
    ),
    "position": (
        "post",
        lambda w: reverse("community:reading-position", args=[w["story"].chapters.first().pk]),
        {"position": "0.6"},
        answers(403, 204, 204, 204, 204, 204, 204),
    ),
    "position-draft": (
        "post",
        lambda w: reverse("community:reading-position", args=[w["draft"].chapters.first().pk]),
        {"position": "0.6"},
        answers(403, 404, 204, 204, 404, 204, 204),
    ),
    "history-clear": (
        "post",
        lambda w: reverse("community:history-clear"),
        {},
        answers(LOGIN, 302, 302, 302, 302, 302, 302),
    ),
    "block-author": (
        "post",
        lambda w: reverse("community:block", args=["author", w["other_author"].pk]),
        {},
        answers(LOGIN, 302, 302, 302, 400, 302, 302),
    ),
    "notifications": (
        "get",
        lambda w: reverse("community:notifications"),
        {},
        answers(LOGIN, 200, 200, 200, 200, 200, 200),
    ),
    "mark-read": (
        "post",
        lambda w: reverse("community:notifications"),
        {},
        answers(LOGIN, 302, 302, 302, 302, 302, 302),
    ),
}

# Requests that were honoured but change nothing for this persona (nothing to change).
UNCHANGED_BUT_OK = {
    ("review-edit-form", "reader"),
    ("review-form", "reader"),
    ("review-form", "other_author"),
    ("review-form", "moderator"),
    ("review-form", "admin"),
    ("reviews-of-draft", "author"),
    ("reviews-of-draft", "coauthor"),
    ("reviews-of-draft", "moderator"),
    ("reviews-of-draft", "admin"),
    ("history-clear", "author"),
    ("history-clear", "coauthor"),
    ("history-clear", "other_author"),
    ("history-clear", "moderator"),
    ("history-clear", "admin"),
    ("mark-read", "reader"),
    ("mark-read", "other_author"),
    ("mark-read", "moderator"),
    ("mark-read", "admin"),
} | {("notifications", p) for p in PERSONAS}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", list(ROUTES))
def test_route(request, client, world, route, persona, settings):
    settings.PAGE_CACHE_SECONDS = 0
    method, url_for, data, expected = ROUTES[route]
    if persona != "anonymous":
        client.force_login(request.getfixturevalue("admin_user" if persona == "admin" else persona))
    url = url_for(world)
    before = snapshot()
    response = getattr(client, method)(url, data(world) if callable(data) else data)
    after = snapshot()
    want = expected[persona]
    if want == LOGIN:
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], (
            route
        )
    else:
        assert response.status_code == want, (route, persona, response.status_code)
    refused = want == LOGIN or (isinstance(want, int) and want >= 400)
    if refused or (route, persona) in UNCHANGED_BUT_OK:
        assert after == before, f"{route} as {persona} changed something"
    else:
        assert after != before, f"{route} as {persona} did nothing"

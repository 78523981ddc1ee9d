"""Who may do what through the API: every write operation of the OpenAPI document, tried by a
guest and by each persona of `fabula.test`, on a published story by `author` with `coauthor`.
The answers are the pages' rules: writes need a token; authors do not leave kudos on or review
their own story; only its authors and staff edit it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fabula.api.site import api
from fabula.api.tests.helpers import bearer, call

PERSONAS = ["guest", "reader", "author", "coauthor", "other_author", "moderator", "admin_user"]
READER, AUTHOR, STAFF = "reader", "author", "staff"
KIND = {
    "guest": None,
    "reader": READER,
    "other_author": READER,
    "author": AUTHOR,
    "coauthor": AUTHOR,
    "moderator": STAFF,
    "admin_user": STAFF,
}
CHAPTER = {"title": "More", "body": "<p>More text.</p>"}
STORY = {"title": "Edited", "rating_id": 0, "chapter": CHAPTER}


def reversed_order(story) -> dict:
    return {"order": _order(story)[::-1]}


def in_two_days(story) -> dict:
    return {"release_at": (timezone.now() + timedelta(days=2)).isoformat()}


def _order(story) -> list[int]:
    return list(story.chapters.order_by("position").values_list("pk", flat=True))


# (method, path in the document): (path to call, body, answer for a reader, an author, staff)
WRITES = {
    ("PUT", "/api/v1/me/{list_name}/{kind}/{target_id}"): (
        "/me/favourites/stories/{story}",
        None,
        200,
        200,
        200,
    ),
    ("DELETE", "/api/v1/me/{list_name}/{kind}/{target_id}"): (
        "/me/follows/stories/{story}",
        None,
        200,
        200,
        200,
    ),
    ("PUT", "/api/v1/me/history/{story_id}"): (
        "/me/history/{story}",
        {"chapter_position": 1, "place": 0.5},
        200,
        200,
        200,
    ),
    ("PUT", "/api/v1/me/later/{story_id}"): ("/me/later/{story}", None, 200, 200, 200),
    ("PUT", "/api/v1/me/blocks/{kind}/{target_id}"): (
        "/me/blocks/stories/{story}",
        None,
        200,
        200,
        200,
    ),
    ("DELETE", "/api/v1/me/blocks/{kind}/{target_id}"): (
        "/me/blocks/stories/{story}",
        None,
        200,
        200,
        200,
    ),
    ("DELETE", "/api/v1/me/later/{story_id}"): ("/me/later/{story}", None, 200, 200, 200),
    ("POST", "/api/v1/stories/{story_id}/kudos"): ("/stories/{story}/kudos", None, 200, 403, 200),
    ("POST", "/api/v1/stories/{story_id}/reviews"): (
        "/stories/{story}/reviews",
        {"body": "Lovely."},
        201,
        403,
        201,
    ),
    ("POST", "/api/v1/stories"): ("/stories", STORY, 201, 201, 201),
    ("PUT", "/api/v1/stories/{story_id}"): ("/stories/{story}", STORY, 403, 200, 200),
    ("POST", "/api/v1/stories/{story_id}/submit"): ("/stories/{story}/submit", None, 403, 200, 200),
    ("POST", "/api/v1/stories/{story_id}/chapters"): (
        "/stories/{story}/chapters",
        CHAPTER,
        403,
        201,
        201,
    ),
    ("PUT", "/api/v1/stories/{story_id}/chapters/{position}"): (
        "/stories/{story}/chapters/1",
        CHAPTER,
        403,
        200,
        200,
    ),
    ("PUT", "/api/v1/stories/{story_id}/chapter-order"): (
        "/stories/{story}/chapter-order",
        reversed_order,
        403,
        200,
        200,
    ),
    ("PUT", "/api/v1/stories/{story_id}/chapters/{position}/schedule"): (
        "/stories/{story}/chapters/2/schedule",
        in_two_days,
        403,
        200,
        200,
    ),
}


def test_the_matrix_covers_every_write_of_the_document(db):
    paths = api.get_openapi_schema()["paths"]
    writes = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }
    assert writes == set(WRITES)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", sorted(WRITES), ids=" ".join)
def test_who_may_write_what(
    client, request, archive, author, coauthor, make_story, persona, operation
):
    story = make_story(author, coauthors=[coauthor])
    path, body, *answers = WRITES[operation]
    order = _order(story)
    if callable(body):
        body = body(story)
    if body is not None and "rating_id" in body:
        body = {**body, "rating_id": archive.general.pk}
    kind = KIND[persona]
    headers = bearer(request.getfixturevalue(persona), "write") if kind else {}
    response = call(client, operation[0], path.format(story=story.pk), headers, body)
    expected = (
        401 if kind is None else dict(zip((READER, AUTHOR, STAFF), answers, strict=True))[kind]
    )
    assert response.status_code == expected, response.content
    if expected >= 400:  # a refusal changes nothing
        story.refresh_from_db()
        assert (story.title, story.chapters.count(), story.kudos_count) == ("A Story", 2, 0)
        assert _order(story) == order
        assert not story.chapters.filter(release_at__isnull=False).exists()

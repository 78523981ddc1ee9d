"""The contract: /api/v1/openapi.json is a valid OpenAPI 3.1 document that says what the
operations take (`fields=` on every read), and the docs page loads Swagger UI from this site,
not from a CDN."""

from __future__ import annotations

import re

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from fabula.api.tests.helpers import bearer
from fabula.community import actions as community
from fabula.stories import actions
from fabula.test import quick_user


def test_openapi_document_validates_as_3_1(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises on any error
    assert "/api/v1/stories/{story_id}" in document["paths"]


def test_the_validator_does_catch_a_broken_document(client, db):
    document = client.get("/api/v1/openapi.json").json()
    document["paths"]["/api/v1/stories"]["get"]["responses"] = "none"
    try:
        validate(document)
    except OpenAPIValidationError:
        return
    raise AssertionError("a broken document passed")


def test_docs_page_uses_local_swagger_files(client, db):
    page = client.get("/api/v1/docs").content.decode()
    scripts = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle.js" in s for s in scripts)
    assert all(s.startswith("/") for s in scripts), scripts


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _object_of(document: dict, operation: dict) -> tuple[str, dict]:
    """Where an answer's trimmed objects are ("object", "list" or "results") and their schema."""
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    answer = _resolve(document, answer)
    if answer.get("type") == "array":
        return "list", _resolve(document, answer["items"])
    if "results" in answer["properties"]:
        return "results", _resolve(document, answer["properties"]["results"]["items"])
    return "object", answer


def test_every_read_declares_fields_and_honours_it(
    client, archive, author, make_story, django_capture_on_commit_callbacks
):
    """Each GET of the document says it takes `fields=`, and does: asked for one property of
    its objects, every object it answers has that one alone. No write declares it."""
    with django_capture_on_commit_callbacks(execute=True):  # indexed for search
        story = make_story(author, "Trimmed")
    series = actions.series_create(owner=author, title="Seasons")
    actions.series_add_work(series=series, story=story, by=author)
    challenge = actions.challenge_create(title="Prompt", owner=author)
    story.challenges.add(challenge)
    critic = quick_user("Critic")
    community.review_post(story=story, user=critic, body="Good", ip="10.0.0.1")
    community.review_post(series=series, user=critic, body="Good", ip="10.0.0.1")
    community.block_add(user=author, target=archive.humor)
    community.favourite_add(user=author, target=series)
    community.reading_save_position(user=author, chapter=story.chapters.first(), position=0.5)
    recs = community.reading_list_create(owner=critic, name="Recs", public=True)
    community.reading_list_add(reading_list=recs, story=story, note="Yes")
    ids = {
        "story_id": story.pk,
        "position": 1,
        "tag_id": archive.fandom.pk,
        "user_id": author.pk,
        "pseud_id": author.pseuds.get().pk,
        "series_id": series.pk,
        "challenge_id": challenge.pk,
        "name": "prolific-authors",
        "list_name": "favourites",
        "list_id": recs.pk,
    }
    token = bearer(author)
    queries = {"search": "&q=Trimmed"}
    document = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            assert ("fields" in declared) == (method == "get"), (method, path)
        if "get" not in operations:
            continue
        where, shape = _object_of(document, operations["get"])
        field = next(iter(shape["properties"]))
        address = path.format(**{n: ids[n] for n in re.findall(r"{(\w+)}", path)})
        extra = queries.get(path.rsplit("/", 1)[1], "")
        response = client.get(f"{address}?fields={field}{extra}", **token)
        assert response.status_code == 200, (path, response.content)
        data = response.json()
        objects = data if where == "list" else data["results"] if where == "results" else [data]
        assert objects, (path, "nothing to trim: the check would prove nothing")
        assert all(set(item) == {field} for item in objects), (path, objects)
        checked += 1
    assert checked == sum("get" in operations for operations in document["paths"].values())

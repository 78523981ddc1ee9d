"""The contract: /api/v1/openapi.json is a valid OpenAPI 3.1 document, and the docs page
loads Swagger UI from this site, not from a CDN."""

from __future__ import annotations

import re

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError


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

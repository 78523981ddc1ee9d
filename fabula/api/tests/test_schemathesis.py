"""Property-based tests of the whole API from its own OpenAPI document (schemathesis): for
every operation, requests made from the document's parameter and body schemas, as a guest and
with an author's write token, over an archive with stories, tags and a series. No answer may be
a server error, and every answer must match the document: its status, its content type and its
body's schema. The number of examples per operation is kept small so that the run takes a
minute or two per database; FABULA_SCHEMATHESIS_EXAMPLES raises it for a longer hunt."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from fabula.api.tests.helpers import bearer
from fabula.stories import actions

EXAMPLES = int(os.environ.get("FABULA_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


# The document as the site serves it (reading it touches no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def one_connection():
    """schemathesis calls the WSGI application itself, whose request signals would close the
    database connection that holds the test's transaction (Django's test client unhooks them
    the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def some_archive(db, archive, author, reader, make_story):
    """Stories, tags and a series for the generated ids to find now and then."""
    story = make_story(author, "Silver Moon", tags=[archive.fandom, archive.jim, archive.angst])
    make_story(reader, "Gated", rating=archive.adult)
    series = actions.series_create(owner=author, title="Seasons")
    actions.series_add_work(series=series, story=story, by=author)


def _examples(test):
    return schema.parametrize()(
        settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,  # the same examples every run: a failure is found again
            suppress_health_check=list(HealthCheck),
        )(test)
    )


def _check(case, headers: dict) -> None:
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)


@_examples
def test_every_operation_keeps_its_contract_for_a_guest(case):
    _check(case, {})


@_examples
def test_every_operation_keeps_its_contract_for_an_author(case, author):
    _check(case, {"Authorization": bearer(author, "write")["HTTP_AUTHORIZATION"]})

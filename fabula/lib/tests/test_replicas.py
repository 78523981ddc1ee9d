"""Which database a read goes to: replicas for requests that cannot have written, the primary
for writes, for a writer's next reads, and outside requests."""

from __future__ import annotations

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.http import HttpResponse
from django.test import RequestFactory

from fabula.lib import replicas
from fabula.stories.models import Story

router = replicas.ReplicaRouter()


@pytest.fixture(autouse=True)
def two_replicas(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1", "replica2"])


def read_in(request, model=Story) -> tuple[str, HttpResponse]:
    """Where a read of `model` made while serving `request` goes, and the response."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(model))
        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(view)(request)
    return seen[0], response


def test_a_guest_page_reads_from_a_replica():
    where, response = read_in(RequestFactory().get("/"))
    assert where in ("replica1", "replica2")
    assert replicas.PIN_COOKIE not in response.cookies


def test_the_rate_limiters_counts_are_read_on_the_primary():
    """A guest's search is counted on a GET: a replica's old count would never reach the limit."""
    counts = DatabaseCache("fabula_limits", {})  # replicas come with PostgreSQL's store
    where, _ = read_in(RequestFactory().get("/search/"), counts.cache_model_class)
    assert where == replicas.PRIMARY


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_uses_the_primary_and_pins_the_writer_to_it(method):
    where, response = read_in(getattr(RequestFactory(), method)("/"))
    assert where == "default"
    pin = response.cookies[replicas.PIN_COOKIE]
    assert pin["httponly"] and pin["max-age"] == 10
    # The writer's next page reads the primary; someone else's does not.
    follow = RequestFactory().get("/")
    follow.COOKIES[replicas.PIN_COOKIE] = pin.value
    assert read_in(follow)[0] == "default"


def test_a_forged_or_stale_pin_counts_for_nothing(settings):
    forged = RequestFactory().get("/")
    forged.COOKIES[replicas.PIN_COOKIE] = "1"
    assert read_in(forged)[0] != "default"
    settings.REPLICA_PIN_SECONDS = -1  # the pin has expired
    _, response = read_in(RequestFactory().post("/"))
    stale = RequestFactory().get("/")
    stale.COOKIES[replicas.PIN_COOKIE] = response.cookies[replicas.PIN_COOKIE].value
    assert read_in(stale)[0] != "default"


def test_outside_a_request_everything_is_on_the_primary():
    assert router.db_for_read(Story) == "default"
    assert router.db_for_write(Story) == "default"


def test_migrations_run_only_on_the_primary():
    assert router.allow_migrate("default", "stories")
    assert not router.allow_migrate("replica1", "stories")


def test_without_replicas_reads_stay_on_the_primary(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: [])
    assert read_in(RequestFactory().get("/"))[0] == "default"

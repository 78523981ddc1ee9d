"""The one rate limiter: counts per key in the cache, and the client's address."""

from django.test import RequestFactory

from fabula.lib.ratelimit import Limit, client_address


def test_take_allows_the_attempts_then_refuses():
    limit = Limit("test-take", attempts=2, seconds=60)
    assert [limit.take("Jim Halpert") for _ in range(3)] == [True, True, False]
    assert limit.exceeded("Jim Halpert") and not limit.exceeded("Pam Beesly")
    limit.reset("Jim Halpert")
    assert not limit.exceeded("Jim Halpert")


def test_hit_counts_each_key_and_skips_empty_ones():
    limit = Limit("test-hit", attempts=1, seconds=60)
    limit.hit("10.0.0.1", "", "dwight")
    assert limit.exceeded("10.0.0.1") and limit.exceeded("dwight") and not limit.exceeded("")


def test_client_address():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    assert client_address(request) == "192.0.2.7"
    request.META.pop("REMOTE_ADDR")
    assert client_address(request) == "unknown"

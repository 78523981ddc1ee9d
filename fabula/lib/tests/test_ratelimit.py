"""The one rate limiter: counts per key in their own store, back-off, and the client's address."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from fabula.lib.ratelimit import Backoff, Limit, Rate, client_address, in_words, normalise_name
from fabula.lib.refusals import RateLimited

pytestmark = pytest.mark.django_db  # the counts live in the database cache "limits"


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


def test_a_refusal_says_when_the_window_ends(clock):
    limit = Limit("test-window", attempts=1, seconds=600, message="Too many tests")
    clock.now += 100  # 100 s into a window
    limit.check("k")
    with pytest.raises(RateLimited) as refused:
        limit.check("k")
    assert refused.value.retry_after == 500
    assert str(refused.value) == "Too many tests: please try again in 9 minutes."
    clock.now += 500  # the next window counts afresh
    limit.check("k")


def test_the_scale_setting_raises_every_limit(settings):
    settings.FABULA_LIMITS_SCALE = 3
    limit = Limit("test-scale", attempts=2, seconds=60)
    assert limit.allowed == 6
    assert [limit.take("k") for _ in range(7)] == [True] * 6 + [False]


def test_backoff_doubles_the_wait_up_to_the_longest(clock):
    backoff = Backoff("test-backoff", free=2, longest=8, forget=3600)
    waits = []
    for _ in range(7):
        backoff.fail("k")
        waits.append(backoff.wait("k"))
    assert waits == [0, 1, 2, 4, 8, 8, 8]
    clock.now += 8
    assert backoff.wait("k") == 0
    backoff.reset("k")
    backoff.fail("k")
    assert backoff.wait("k") == 0


def test_a_rate_counts_members_by_id_and_guests_by_address(reader):
    rate = Rate(member=Limit("test-m", 1, 60), guest=Limit("test-g", 1, 60))
    rate.check(reader, "192.0.2.1")
    rate.check(AnonymousUser(), "192.0.2.1")  # the member's count is not the address's
    with pytest.raises(RateLimited):
        rate.check(reader, "192.0.2.2")  # the member, from anywhere
    with pytest.raises(RateLimited):
        rate.check(AnonymousUser(), "192.0.2.1")
    rate.check(AnonymousUser(), "192.0.2.3")


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "in 1 second"), (45, "in 45 seconds"), (89, "in 89 seconds"), (90, "in 2 minutes")],
)
def test_in_words(seconds, words):
    assert in_words(seconds) == words


def test_a_name_is_counted_as_the_login_reads_it():
    assert normalise_name(" ＮＩＧＨＴ Ｓwept ") == normalise_name("night swept") == "night swept"


def test_client_address():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    assert client_address(request) == "192.0.2.7"
    request.META.pop("REMOTE_ADDR")
    assert client_address(request) == "unknown"


def test_without_proxies_of_its_own_the_site_ignores_x_forwarded_for(settings):
    settings.PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "192.0.2.7"  # a guest cannot pick its own address


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (1, "198.51.100.9", "198.51.100.9"),
        # The client wrote the first address itself: only the proxy's own entry counts.
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.2", "198.51.100.9"),
        # Fewer entries than proxies: not through our proxies, so the server's own view.
        (2, "198.51.100.9", "192.0.2.7"),
        (1, "", "192.0.2.7"),
    ],
)
def test_behind_the_sites_proxies_the_client_is_what_the_outermost_wrote(
    settings, proxies, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected

"""The shared cache on Redis, and what pages do when Redis goes away: answer, uncached."""

from __future__ import annotations

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from fabula.lib import resilient_redis
from fabula.test import chapter_url, require

LIVE = "redis://127.0.0.1:6379/13"
DEAD = "redis://127.0.0.1:1/0"  # nothing listens there


def use_redis(settings, url: str) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "fabula.lib.resilient_redis.ResilientRedisCache", "LOCATION": url},
    }


def test_the_cache_lives_in_redis(settings):
    try:
        redis.Redis.from_url(LIVE).ping()
    except redis.RedisError as error:
        require(False, f"Redis is not running on 127.0.0.1:6379 ({error})")
    use_redis(settings, LIVE)
    cache.clear()
    cache.set("fabula:test", {"shared": True}, 30)
    assert cache.get("fabula:test") == {"shared": True}
    assert redis.Redis.from_url(LIVE).dbsize() == 1  # in Redis, not in this process
    cache.clear()


@pytest.mark.parametrize("page", ["home", "story", "chapter", "login", "search"])
def test_pages_answer_when_redis_is_gone(client, settings, make_story, author, caplog, page):
    story = make_story(author)
    use_redis(settings, DEAD)
    resilient_redis._last_complaint = -1e9
    url = {
        "home": reverse("home"),
        "story": reverse("story", args=[story.pk]),
        "chapter": chapter_url(story.pk, 1),
        "login": reverse("accounts:login"),
        "search": reverse("search:results") + "?q=words",
    }[page]
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # and again, with nothing cached
    assert "Redis is unavailable" in caplog.text


def test_a_failed_log_in_is_refused_as_usual_without_redis(client, settings, reader):
    use_redis(settings, DEAD)
    response = client.post(
        reverse("accounts:login"), {"username": reader.pen_name, "password": "wrong"}
    )
    assert response.status_code == 200 and b"do not match" in response.content


def test_redis_complains_once_a_minute_not_per_request(settings, caplog):
    use_redis(settings, DEAD)
    resilient_redis._last_complaint = -1e9
    for _ in range(5):
        assert cache.get("anything", "fallback") == "fallback"
    assert caplog.text.count("Redis is unavailable") == 1

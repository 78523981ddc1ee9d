"""The Content-Security-Policy on every page type, the violation report endpoint, and HTTPS
settings (HSTS, secure cookies) driven by the environment.

Each page is also read for what the policy would refuse: an inline script, an event-handler
attribute, a javascript: link, a style attribute, a `<style>` block whose hash the policy does
not list. The browser test (tests/browser/test_csp.py) sees the same pages in chromium."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from fabula.lib.csp import source_hash
from fabula.stories import actions
from fabula.test import chapter_url

# The report endpoint counts in the rate limiter's store, a database cache.
pytestmark = pytest.mark.django_db

HTML_PAGES = [
    ("home", lambda s: reverse("home")),
    ("recent", lambda s: reverse("recent")),
    ("browse", lambda s: reverse("browse")),
    ("story", lambda s: reverse("story", args=[s.pk])),
    ("chapter", lambda s: chapter_url(s, 1)),
    ("whole story", lambda s: reverse("story-full", args=[s.pk])),
    ("authors", lambda s: reverse("authors")),
    ("series", lambda s: reverse("series-list")),
    ("search", lambda s: reverse("search:results") + "?q=lantern"),
    ("login", lambda s: reverse("accounts:login")),
    ("register", lambda s: reverse("accounts:register")),
    ("admin login", lambda s: "/admin/login/"),
    ("legacy index", lambda s: f"/fanfiction/viewstory.php?sid={s.pk}&index=1"),
    (
        "legacy printable",
        lambda s: f"/fanfiction/viewstory.php?action=printable&sid={s.pk}&chapter=all",
    ),
    ("html download", lambda s: reverse("download", args=[s.pk, "html"])),
]
NOT_FOUND = "/no/such/page/"


@pytest.fixture
def story(make_story, author):
    story = make_story(author, title="Lantern", chapters=0)
    actions.chapter_add(story=story, title="One", body="<p>A lantern in the window.</p>")
    return story


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def refused_inline(html: str, allowed_styles: list[str]) -> list[str]:
    """What in this page the policy would refuse, by eye: empty for a clean page."""
    problems = [
        f"inline script: {match[:60]}"
        for match in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
        if match.strip()
    ]
    problems += re.findall(r"<[^>]*\son[a-z]+=[^>]*>", html)
    problems += re.findall(r"""href=["']?javascript:[^>]*""", html)
    problems += re.findall(r"<[^>]*\sstyle=[^>]*>", html)
    problems += [
        f"unlisted <style>: {block[:60]}"
        for block in re.findall(r"<style>(.*?)</style>", html, re.S)
        if source_hash(block) not in allowed_styles
    ]
    return problems


@pytest.mark.parametrize(
    "name, address",
    [*HTML_PAGES, ("not found", lambda s: NOT_FOUND)],
    ids=[*(name for name, _ in HTML_PAGES), "not found"],
)
def test_every_page_type_has_the_policy_and_nothing_it_refuses(client, story, name, address):
    response = client.get(address(story))
    assert response.status_code == (404 if name == "not found" else 200), name
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert "script-src" not in policy  # scripts fall back to default-src: the site's files only
    assert policy["img-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["report-uri"] == [reverse("csp-report")]
    assert not any("unsafe" in value for values in policy.values() for value in values)
    body = b"".join(response) if response.streaming else response.content
    assert refused_inline(body.decode(), policy["style-src"]) == []


def test_the_checker_finds_what_the_policy_refuses():
    """The page reader above would notice each kind of inline code (it is what the test trusts)."""
    page = (
        '<script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:x()">x</a>'
        '<p style="color:red">x</p><style>p{}</style><script src="/static/ok.js"></script>'
    )
    assert len(refused_inline(page, [])) == 5
    assert refused_inline("<style>p{}</style>", [source_hash("p{}")]) == []


def test_a_member_page_and_a_feed_carry_the_policy(client, story, author):
    client.force_login(author)
    for address in (reverse("stories:mine"), reverse("feed-recent"), reverse("opds-root")):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert refused_inline(response.content.decode(), []) == []


REPORT = {
    "csp-report": {
        "document-uri": "http://127.0.0.1:8000/stories/1/",
        "violated-directive": "img-src",
        "blocked-uri": "https://tracker.example/pixel.gif",
    }
}


def test_a_violation_report_is_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="fabula.csp"):
        response = client.post(
            reverse("csp-report"), json.dumps(REPORT), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "img-src refused https://tracker.example/pixel.gif on http://127.0.0.1:8000" in (
        caplog.text
    )


def test_a_reporting_api_report_is_logged(client, caplog):
    report = [
        {
            "type": "csp-violation",
            "body": {
                "effectiveDirective": "script-src-elem",
                "blockedURL": "inline",
                "documentURL": "http://x/",
            },
        }
    ]
    with caplog.at_level(logging.WARNING, logger="fabula.csp"):
        response = client.post(
            reverse("csp-report"), json.dumps(report), content_type="application/reports+json"
        )
    assert response.status_code == 204
    assert "script-src-elem refused inline on http://x/" in caplog.text


@pytest.mark.parametrize(
    "body, status",
    [(b"not json", 204), (b'{"csp-report": 3}', 204), (b"[1, 2]", 204), (b"x" * 20_000, 413)],
    ids=["not-json", "not-a-report", "list-of-numbers", "too-big"],
)
def test_a_bad_report_logs_nothing(client, caplog, body, status):
    with caplog.at_level(logging.WARNING, logger="fabula.csp"):
        response = client.post(reverse("csp-report"), body, content_type="application/json")
    assert response.status_code == status
    assert "CSP violation" not in caplog.text


def test_reports_are_only_posted_and_a_flood_is_not_all_logged(client, caplog):
    assert client.get(reverse("csp-report")).status_code == 405
    with caplog.at_level(logging.WARNING, logger="fabula.csp"):
        for _ in range(40):
            client.post(reverse("csp-report"), json.dumps(REPORT), content_type="application/json")
    assert caplog.text.count("CSP violation") == 30


def test_reports_do_not_use_up_a_readers_writes(client, db):
    """A page with many refused images sends many reports; the reader can still post forms."""
    for _ in range(80):
        client.post(reverse("csp-report"), json.dumps(REPORT), content_type="application/json")
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 200  # the form again (wrong password), not a 429


def https_settings(**env: str) -> dict[str, object]:
    """The security settings a fresh process reads from these environment variables."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n, None) for n in ['SECURE_HSTS_SECONDS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_PRELOAD']}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"HTTPS", "SECURE_COOKIES", "DEBUG"}}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SETTINGS_MODULE": "fabula.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_https_turns_on_hsts_and_secure_cookies():
    plain = https_settings()
    assert plain["SECURE_HSTS_SECONDS"] == 0 and plain["SESSION_COOKIE_SECURE"] is False
    secure = https_settings(HTTPS="1")
    assert secure["SECURE_HSTS_SECONDS"] == 31536000
    assert secure["SESSION_COOKIE_SECURE"] is True and secure["CSRF_COOKIE_SECURE"] is True
    assert secure["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    tuned = https_settings(HTTPS="1", HSTS_SECONDS="600", HSTS_PRELOAD="1", SECURE_COOKIES="0")
    assert tuned["SECURE_HSTS_SECONDS"] == 600 and tuned["SECURE_HSTS_PRELOAD"] is True
    assert tuned["SESSION_COOKIE_SECURE"] is False


def test_a_request_over_https_gets_hsts(client, story, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    secure = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get(reverse("home"))

"""Shared browser fixtures: Debian's chromium through Playwright, and members logged in by
session cookie (no login form involved)."""

from __future__ import annotations

import os

import pytest

from fabula.test import require
from tests.browser.closing import close_quietly

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# fixtures in the same thread are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless: one per test module (each test opens its own contexts)."""
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} is absent (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def member_context(browser, live_server):
    """member_context(user, viewport=None): a new browser context logged in as `user` through
    a fresh session (so two contexts are like two devices)."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def make(user, viewport=None):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        close_quietly(context)


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker, live_server):
    """pytest-django's live server. Its request threads keep their database connections open
    (CONN_MAX_AGE) after the browser is gone, and PostgreSQL will not drop a database still in
    use: when the tests are done, those connections are ended before the test database goes."""
    yield live_server
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )

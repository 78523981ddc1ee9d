"""Shared set-up for the reader-page tests (imported by test modules; fixtures apply there).

The cache (site settings, guest pages) and the read buffer live in this process across tests,
while the database is rolled back after each one: both start empty for every test here.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from fabula.accounts.models import User
from fabula.conf.models import site_settings
from fabula.lib.pagecache import content_changed
from fabula.stories import reads


@pytest.fixture(autouse=True)
def fresh_caches(settings):
    cache.clear()
    reads._pending.clear()
    settings.READ_FLUSH_SECONDS = 3600  # reads wait in the buffer until a test flushes them
    # The personas' passwords are never typed here; a fast hasher keeps these tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    cache.clear()
    reads._pending.clear()


def set_site(**values) -> None:
    """Change site settings for one test (the row is rolled back with the test).

    Saving settings does not retire cached guest pages (they expire on their own), so the test
    retires them as an edit of content would.
    """
    current = site_settings()
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    content_changed()


def quick_user(pen_name: str, **extra) -> User:
    """A member without a password: hashing one costs more than the rest of a test."""
    return User.objects.create_user(pen_name, f"{pen_name.lower()}@example.org", None, **extra)

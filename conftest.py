"""Test-wide setup: the shared personas, and the database server check.

The suite runs on SQLite, then again on PostgreSQL (FABULA_TEST_DATABASE=postgres). Where the
server does not answer, the PostgreSQL run stops at once with a loud message; under
FABULA_REQUIRE_SERVICES=1 that is a failure.
"""

import os

import pytest

from fabula.test import *  # noqa: F403  (fixtures)


@pytest.fixture(autouse=True)
def _scraper_budget_off(settings):
    """The test client asks for many pages a minute from one address, which the scraper gate
    would challenge; the gate's own tests (fabula/lib/tests/test_scrapers.py) turn it on."""
    settings.SCRAPER_PAGES_PER_MINUTE = 0


def pytest_sessionstart(session):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg

    try:
        psycopg.connect(
            host=database["HOST"] or "127.0.0.1",
            port=database["PORT"] or 5432,
            user=database["USER"],
            password=database["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as error:
        message = f"PostgreSQL at {database['HOST']}:{database['PORT']} does not answer ({error})"
        if os.environ.get("FABULA_REQUIRE_SERVICES") == "1":
            pytest.exit(f"FABULA_REQUIRE_SERVICES=1 but {message}", returncode=1)
        pytest.exit(f"SKIPPED LOUDLY, the whole PostgreSQL run: {message}", returncode=0)


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, emptied of the taxonomy a new archive starts with (written by the
    migration taxonomy/0002): tests build the archive they need (the `archive` fixture), and the
    first-run tests install the defaults themselves (taxonomy/tests/test_first_run.py)."""
    from fabula.taxonomy.models import Rating, Tag, TagKind

    with django_db_blocker.unblock():
        Tag.objects.all().delete()
        TagKind.objects.all().delete()
        Rating.objects.all().delete()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow by design; tests that check hashing itself set PASSWORD_HASHERS back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

"""The project as an operator meets it: migrations, settings, the site settings row."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from fabula.conf.markup import sanitize
from fabula.conf.models import SiteSettings, site_settings


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_site_settings_are_one_cached_row(django_assert_num_queries):
    first = site_settings()
    assert first.date_format == "F d, Y" and first.legacy_prefix == "fanfiction"
    with django_assert_num_queries(0):
        site_settings()
    first.site_name = "Scranton Stories"
    first.site_url = "https://example.org/"
    first.legacy_prefix = "/old/archive/"
    first.save()
    again = site_settings()
    assert again.site_name == "Scranton Stories"
    assert again.legacy_root == "https://example.org/old/archive"
    assert SiteSettings.objects.count() == 1


@pytest.mark.django_db
def test_a_request_reads_the_site_settings_once(client, monkeypatch, make_story, author, settings):
    from django.core.cache import cache

    from fabula.conf.models import keep_for_request, read_afresh

    reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        if key == "fabula:site-settings":
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    site_settings()
    site_settings()
    assert len(reads) == 2  # outside a request, every call reads the cache
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(3):  # each card asks for the date format and the date's own
        make_story(author, f"Story {n}")
    reads.clear()
    assert client.get(reverse("recent")).content.count(b'class="story-card"') == 3
    assert len(reads) == 1
    reads.clear()
    # The receivers themselves (the page above went through the signals): sending
    # `request_started` here would also run Django's `close_old_connections`, which closes the
    # test's connection on PostgreSQL.
    keep_for_request()
    first = site_settings()
    assert site_settings() is first and len(reads) == 1
    first.site_name = "Saved Mid-Request"
    first.save()  # the request that saves sees its own edit at once
    assert site_settings().site_name == "Saved Mid-Request" and len(reads) == 2
    read_afresh()
    site_settings()
    site_settings()
    assert len(reads) == 4


def test_production_server_refuses_the_development_key():
    code = "import fabula.wsgi"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "fabula.settings"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
    ok = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr


# A web worker's environment on SQLite without Redis: what `fabula.wsgi` starts with.
WORKER_ENV = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "fabula.settings",
    "SECRET_KEY": "x" * 50,
    "DATABASE_URL": "sqlite:///unused.sqlite3",
}


def test_a_web_worker_without_redis_or_postgresql_loads_neither_client():
    """A worker's memory (issue 18, item 6): on SQLite without REDIS_URL, the application and
    every view it routes to load neither psycopg nor the Redis client nor RQ's worker."""
    code = (
        "import sys, fabula.wsgi, django.urls;"
        "django.urls.get_resolver().url_patterns;"
        "print(sorted(m for m in ('psycopg', 'redis', 'rq', 'django_rq') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=WORKER_ENV, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_web_worker_starts_with_its_views_loaded_and_its_objects_frozen():
    """`fabula.wsgi` loads the address tree and its views before the first request, then moves
    what it loaded out of the garbage collector's full collections (`gc.freeze`)."""
    code = (
        "import gc, sys, fabula.wsgi;"
        "print(gc.get_freeze_count(), 'fabula.stories.views.reading' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=WORKER_ENV, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 50_000 and views_loaded == "True"


def test_database_url_selects_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "fabula.settings",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_the_site_chooses_the_html_tags_authors_may_use():
    html = "<p><em>Hi</em> <u>there</u></p><script>alert(1)</script><iframe src=x></iframe>"
    assert sanitize(html) == "<p><em>Hi</em> <u>there</u></p>"
    site = site_settings()
    site.allowed_tags = "<p> <br> script iframe"  # the unsafe names are ignored
    site.save()
    assert sanitize(html) == "<p>Hi there</p>"


@pytest.mark.django_db
def test_the_admin_takes_an_address_without_its_scheme_for_https(rf, admin_user):
    import warnings

    from django.contrib import admin

    from fabula.accounts.models import User

    request = rf.get("/")
    request.user = admin_user
    with warnings.catch_warnings():
        # Django 5.2 warns where a web address field would assume http (6.0 assumes https).
        warnings.simplefilter("error")
        for model, instance, name in [
            (SiteSettings, site_settings(), "site_url"),
            (User, admin_user, "website"),
        ]:
            form = admin.site._registry[model].get_form(request, instance)
            assert form.base_fields[name].clean("archive.example.org") == (
                "https://archive.example.org"
            )

"""The guest page cache under a flood of addresses (issue 17, High 3): keys come only from the
parameters a page reads, and the worker's own cache is bounded in bytes; workers without Redis
share one content generation."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import zlib

from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from fabula.lib import pagecache
from fabula.lib.boundedcache import ENTRY_OVERHEAD, BoundedMemoryCache

BOUNDED = "fabula.lib.boundedcache.BoundedMemoryCache"


def bounded(settings, max_bytes: int) -> BoundedMemoryCache:
    """The default cache replaced by a bounded one of `max_bytes` for this test."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": BOUNDED,
            "LOCATION": f"test-{max_bytes}",
            "OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": 1_000_000},
        },
    }
    store = caches["default"]
    assert isinstance(store, BoundedMemoryCache)
    store.clear()
    return store


def test_unknown_parameters_make_no_new_entries(settings, client, author, make_story):
    """`?big=N` on the home page (it reads no parameter) and on a story list (it reads its
    orders, pages and filters) leaves one entry per page, however many addresses."""
    store = bounded(settings, 8 * 2**20)
    make_story(author, "Flooded")
    for page in (reverse("home"), reverse("browse")):
        client.get(page)
        entries, size = store.entry_count, store.size_in_bytes
        for n in range(300):
            response = client.get(f"{page}?big={n}&utm_source=x{n}")
            assert response.status_code == 200
        assert (store.entry_count, store.size_in_bytes) == (entries, size)


def test_a_parameter_the_page_reads_still_makes_its_own_page(client, author, make_story):
    """The key keeps what matters: page 1 sorted by title is not served for `?sort=updated`,
    and the order of the parameters does not matter."""
    make_story(author, "Alpha")
    make_story(author, "Beta")
    url = reverse("browse")
    by_title = client.get(f"{url}?sort=title&big=1").content.decode()
    by_update = client.get(f"{url}?big=2&sort=updated").content.decode()
    assert by_title.index("Alpha") < by_title.index("Beta")
    assert by_update.index("Beta") < by_update.index("Alpha")
    # A parameter the page did not read is dropped from the links it draws, too.
    assert "big=" not in by_title and "big=" not in by_update


def test_a_unique_url_flood_stays_within_the_bytes(settings, client, author, make_story):
    """Distinct searches are distinct pages: the cache forgets the least recently used ones
    and never holds more than its bytes."""
    limit = 64 * 1024
    store = bounded(settings, limit)
    make_story(author, "Searched")
    page_sizes = []
    for n in range(120):
        # From many addresses, as a crawler farm would (one address is soon rate-limited).
        response = client.get(
            reverse("search:results"), {"q": f"word{n}"}, REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert response.status_code == 200
        page_sizes.append(len(response.content))
        assert store.size_in_bytes <= limit
    # The pages were big enough that the flood would have overflowed the cache.
    assert sum(page_sizes) > 2 * limit
    assert 0 < store.entry_count < 120


def test_the_bounded_cache_counts_bytes_and_forgets_the_least_recently_used(settings):
    store = bounded(settings, 10_000)
    value = "x" * 2_000
    cost = len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) + ENTRY_OVERHEAD
    for n in range(4):
        store.set(f"k{n}", value)
    assert store.get("k0") == value  # k0 used again: k1 is now the least recently used
    store.set("k4", value)
    assert store.get("k1") is None and store.get("k0") == value
    assert store.entry_count == 4
    assert store.size_in_bytes == sum(cost + len(store.make_key(f"k{n}")) for n in (0, 2, 3, 4))
    store.set("huge", "y" * 20_000)  # bigger than the whole cache: not kept, nothing lost
    assert store.get("huge") is None and store.entry_count == 4
    store.delete("k0")
    store.set("k2", "short")  # a replaced entry is counted once, at its new size
    assert store.entry_count == 3
    store.clear()
    assert (store.entry_count, store.size_in_bytes) == (0, 0)


def test_a_page_is_kept_compressed_and_served_whole(settings, client, author, make_story):
    """A guest's page is kept compressed (a third of its size or less), and the next guest gets
    exactly the bytes the first one did."""
    store = bounded(settings, 8 * 2**20)
    story = make_story(author, "Kept small", chapters=1)
    url = reverse("chapter", args=[story.pk, story.chapters.get().pk])
    first = client.get(url)
    assert first.status_code == 200
    pages = [pickle.loads(value) for key, value in store._cache.items() if ":fabula:page:" in key]
    assert len(pages) == 1
    assert zlib.decompress(pages[0]) == first.content
    assert len(pages[0]) * 2 < len(first.content)
    assert client.get(url).content == first.content


def test_a_change_in_one_worker_retires_every_workers_pages_at_once(settings, tmp_path, db):
    """Without Redis each worker has its own cache, but one generation (a file's time): a
    change another process makes is this one's new generation on its next read, where it
    once waited for this worker's own cache to expire."""
    settings.DATA_DIR = tmp_path
    assert pagecache._private_cache()
    before = pagecache.generation()
    assert pagecache.generation() == before  # nothing changed: the same number
    # Another worker of the same site: the same data folder and database (the test database,
    # which a connection string cannot name when it lives in memory: given as it is).
    same_database = {
        key: connection.settings_dict[key] for key in ("ENGINE", "HOST", "PORT", "NAME")
    }
    other_worker = (
        "import json, os, django; django.setup(); from django.db import connection; "
        "connection.settings_dict.update(json.loads(os.environ['SAME_DATABASE'])); "
        "from fabula.lib.pagecache import content_changed; content_changed()"
    )
    environment = {
        **os.environ,
        "FABULA_DATA_DIR": str(tmp_path),
        "SAME_DATABASE": json.dumps(same_database),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    environment.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    # In the test's own folder: a connection it opens (SQLite makes a file) stays there.
    subprocess.run([sys.executable, "-c", other_worker], env=environment, check=True, cwd=tmp_path)
    after = pagecache.generation()
    assert after > before
    pagecache.content_changed()  # and this worker's own change moves it again
    assert pagecache.generation() > after
    # Both processes kept it in the one file of this database.
    assert len(list(tmp_path.glob("content-generation-*"))) == 1


def test_a_data_folder_that_cannot_hold_the_generation_leaves_pages_working(
    settings, tmp_path, db, client, author, make_story, caplog
):
    """A read-only data folder: each worker keeps its generation in its cache, as before, the
    log says so, and a change still retires this worker's pages."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):  # root writes anywhere: make the path a file's child instead
        folder = tmp_path / "a-file"
        folder.write_text("")
    settings.DATA_DIR = folder
    story = make_story(author, "Still Served")
    address = reverse("story", args=[story.pk])
    assert client.get(address).status_code == 200
    before = pagecache.generation()
    pagecache.content_changed()
    assert pagecache.generation() != before
    assert "cannot be kept in the data folder" in caplog.text
    assert "Still Served" in client.get(address).content.decode()

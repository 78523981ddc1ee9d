"""The folder eFiction lived in is a site setting: checked on every request, so a change in the
admin applies at once; empty means the site root; it may hold slashes."""

from __future__ import annotations

import pytest

from fabula.legacy.tests.conftest import set_site
from fabula.test import chapter_address

pytestmark = pytest.mark.django_db


def test_the_default_folder_is_fanfiction(client, sid1):
    set_site(legacy_prefix="fanfiction")
    assert client.get("/fanfiction/viewstory.php?sid=1&index=1").status_code == 200
    assert client.get("/viewstory.php?sid=1&index=1").status_code == 404
    assert client.get("/fiction/viewstory.php?sid=1&index=1").status_code == 404
    assert client.get("/fanfiction/more/viewstory.php?sid=1&index=1").status_code == 404


def test_a_new_prefix_applies_at_once(client, sid1):
    set_site(legacy_prefix="fanfiction")
    assert client.get("/fanfiction/viewstory.php?sid=1").status_code == 301
    set_site(legacy_prefix="archive/old")
    assert client.get("/fanfiction/viewstory.php?sid=1").status_code == 404
    response = client.get("/archive/old/viewstory.php?sid=1")
    assert response.status_code == 301
    assert response["Location"] == chapter_address("/stories/1/chapters/1/")


def test_an_empty_prefix_is_the_site_root(client, sid1):
    set_site(legacy_prefix="")
    assert client.get("/viewstory.php?sid=1&index=1").status_code == 200
    assert client.get("/viewuser.php?uid=2")["Location"] == "/authors/2/"
    assert client.get("/fanfiction/viewstory.php?sid=1&index=1").status_code == 404


def test_slashes_around_the_prefix_are_not_part_of_it(client, sid1):
    site = set_site(legacy_prefix="/fanfiction/")
    assert site.legacy_prefix == "fanfiction"
    assert client.get("/fanfiction/viewstory.php?sid=1&index=1").status_code == 200


def test_the_archived_at_link_follows_the_prefix(client, sid1):
    set_site(legacy_prefix="fanfiction", site_url="https://fics.example.org")
    response = client.get("/fanfiction/viewstory.php?sid=1&action=printable&chapter=all")
    assert (
        b'<div id="archivedat">This story archived at '
        b'<a href="https://fics.example.org/fanfiction/viewstory.php?sid=1">' in response.content
    )


@pytest.mark.parametrize(
    "path",
    [
        "/fanfiction/user.php",
        "/fanfiction/toplists.php",
        "/fanfiction/admin.php",
        "/fanfiction/viewstory.php/",
        "/fanfiction/viewstory.phps",
        "/fanfiction/view-story.php",
    ],
)
def test_unknown_scripts_are_not_found(client, sid1, path):
    set_site(legacy_prefix="fanfiction")
    assert client.get(path, {"sid": "1"}).status_code == 404


def test_only_reading_methods_are_answered(client, sid1):
    set_site(legacy_prefix="fanfiction")
    assert client.post("/fanfiction/viewstory.php?sid=1&index=1").status_code == 405
    assert client.head("/fanfiction/viewstory.php?sid=1&index=1").status_code == 200

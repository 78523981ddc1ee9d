"""KOReader's progress sync, driven by a client written here from the protocol (as KOReader's
Progress sync plugin speaks it): register, log in, download Fabula's EPUB and name it by its
partial MD5, put a place, get it back, and meet a newer place saved on the web."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.urls import reverse

from fabula.api import positions
from fabula.api.actions import partial_md5
from fabula.api.models import BookDigest
from fabula.community import actions as community
from fabula.community.models import Reading
from fabula.formats.actions import app_password_create
from fabula.stories.models import Chapter, Status

MEDIA_TYPE = "application/vnd.koreader.v1+json"


def koreader_digest(book: io.BytesIO) -> str:
    """KOReader's `util.partialMD5`, as its frontend/util.lua does it on an open file: seek to
    1024 << 2i for i = -1..10 (LuaJIT's 32-bit shift makes the first 0), read 1 KB, stop
    when nothing is left."""
    md5 = hashlib.md5(usedforsecurity=False)
    for i in range(-1, 11):
        book.seek((1024 << (2 * i)) & 0xFFFFFFFF if i >= 0 else (1024 << 30) & 0xFFFFFFFF)
        sample = book.read(1024)
        if not sample:
            break
        md5.update(sample)
    return md5.hexdigest()


class KOReader:
    """The sync plugin: its key is the MD5 of the password typed into it."""

    def __init__(self, client, user: str, password: str):
        self.client, self.user = client, user
        self.key = hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()

    def _headers(self) -> dict:
        return {
            "HTTP_X_AUTH_USER": self.user,
            "HTTP_X_AUTH_KEY": self.key,
            "HTTP_ACCEPT": MEDIA_TYPE,
        }

    def register(self):
        body = json.dumps({"username": self.user, "password": self.key})
        return self.client.post("/kosync/users/create", body, content_type="application/json")

    def authorize(self):
        return self.client.get("/kosync/users/auth", **self._headers())

    def update_progress(self, document: str, progress: str, percentage: float):
        body = {
            "document": document,
            "progress": progress,
            "percentage": percentage,
            "device": "Kobo Libra",
            "device_id": "KOBO-1",
        }
        return self.client.put(
            "/kosync/syncs/progress",
            json.dumps(body),
            content_type="application/json",
            **self._headers(),
        )

    def get_progress(self, document: str):
        return self.client.get(f"/kosync/syncs/progress/{document}", **self._headers())


@pytest.fixture
def setting(client, reader, make_story):
    """A story of three chapters, an app password for the reader, and the EPUB they got."""
    story = make_story(reader.__class__.objects.create_user("Scribe"), "Night Train", chapters=3)
    _, secret = app_password_create(user=reader, name="KOReader")
    epub = client.get(reverse("download", args=[story.pk, "epub"]))
    data = b"".join(epub.streaming_content) if epub.streaming else epub.content
    return story, KOReader(client, "Reader", secret), data


def test_round_trip_with_a_newer_web_place(client, reader, setting):
    story, koreader, data = setting
    assert koreader.register().status_code == 201
    assert koreader.authorize().json() == {"authorized": "OK"}
    document = koreader_digest(io.BytesIO(data))
    assert document == partial_md5(data)  # the site recorded the same digest when it built it
    book = BookDigest.objects.get(digest=document)
    assert book.story == story
    # KOReader stops in the 2nd chapter file (spine: title page, contents, chapter-1, ...).
    pointer = "/body/DocFragment[4]/body/section/p/text().10"
    saved = koreader.update_progress(document, pointer, 0.55)
    assert saved.status_code == 200 and saved.json()["document"] == document
    reading = Reading.objects.get(user=reader, story=story)
    assert reading.chapter is not None and reading.chapter.position == 2
    assert 0 < reading.position < 1
    got = koreader.get_progress(document).json()
    assert (got["progress"], got["percentage"], got["device"]) == (pointer, 0.55, "Kobo Libra")
    # Later the reader reads on, on the web, in chapter 1: KOReader is offered that place.
    chapter_1 = story.chapters.get(position=1)
    community.reading_save_position(user=reader, chapter=chapter_1, position=0.5)
    newer = koreader.get_progress(document).json()
    assert newer["device"] == "Fabula" and newer["progress"].startswith("/body/DocFragment[3]/")
    assert newer["timestamp"] >= got["timestamp"]
    # ... and that place, sent back by KOReader, is the same place.
    koreader.update_progress(document, newer["progress"], newer["percentage"])
    reading.refresh_from_db()
    assert reading.chapter == chapter_1 and abs(reading.position - 0.5) < 0.05


def test_the_history_page_shows_where_the_e_reader_stopped(client, reader, setting):
    story, koreader, data = setting
    koreader.update_progress(partial_md5(data), "/body/DocFragment[5]/body/section/p/text().0", 0.9)
    client.force_login(reader)
    page = client.get(reverse("community:history")).content.decode()
    assert story.chapters.get(position=3).get_absolute_url() in page


@pytest.mark.parametrize("wrong", ["user", "key"])
def test_wrong_credentials_are_refused(client, reader, setting, wrong):
    _, koreader, data = setting
    if wrong == "user":
        koreader.user = "Nobody"
    else:
        koreader.key = "0" * 32
    assert koreader.authorize().status_code == 401
    assert koreader.register().status_code == 402
    assert koreader.update_progress(partial_md5(data), "/body", 0.1).status_code == 401
    assert not Reading.objects.exists()


def test_the_account_password_is_not_a_sync_key(client, reader, setting):
    from fabula.test import PASSWORD

    assert KOReader(client, "Reader", PASSWORD).authorize().status_code == 401


def test_a_book_not_from_the_site_is_refused_and_keeps_nothing(client, reader, setting):
    _, koreader, _ = setting
    response = koreader.update_progress("f" * 32, "/body/DocFragment[3]/body/p", 0.2)
    assert response.status_code == 404
    assert koreader.get_progress("f" * 32).json() == {}
    assert not Reading.objects.exists()


def test_a_place_outside_the_book_is_refused(client, reader, setting):
    _, koreader, data = setting
    response = koreader.update_progress(partial_md5(data), "/body/DocFragment[99]/body/p", 7)
    assert response.status_code == 400
    assert not Reading.objects.exists()


def test_a_place_in_a_chapter_withdrawn_since_the_book_was_built_is_refused(
    client, reader, setting
):
    story, koreader, data = setting
    second = story.chapters.get(position=2)
    Chapter.objects.filter(pk=second.pk).update(status=Status.DRAFT)  # taken back by its author
    response = koreader.update_progress(
        partial_md5(data), "/body/DocFragment[4]/body/section/p/text().10", 0.55
    )
    assert response.status_code == 400
    assert not Reading.objects.exists()


def test_xpointers_and_places_map_both_ways_in_a_built_book(setting):
    story, _, data = setting
    maps = positions.book_map(data, [c.pk for c in story.chapters.order_by("position")])
    assert [m.fragment for m in maps] == [3, 4, 5]
    second = maps[1]
    assert second.blocks[0][0] == "/body/section/h2"
    for place in (0.0, 0.3, 0.75):
        answer = positions.to_koreader(maps, second.chapter_id, place)
        assert answer is not None
        pointer, percentage = answer
        back = positions.to_fabula(maps, pointer, None)
        assert back is not None and back.chapter_id == second.chapter_id
        assert abs(back.place - place) < 0.05
        assert 1 / 3 - 0.01 <= percentage <= 2 / 3 + 0.01
    by_percentage = positions.to_fabula(maps, "not an xpointer", 0.9)
    assert by_percentage is not None and by_percentage.chapter_id == maps[2].chapter_id


def test_the_help_page_gives_the_server_address(client, db):
    page = client.get(reverse("koreader-help")).content.decode()
    assert "http://testserver/kosync" in page
    assert reverse("app-passwords") in page

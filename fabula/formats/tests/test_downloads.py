"""Downloads: offered on the story page, built once per version of the story and served from
disk, rebuilt when the story changes, built once under concurrent requests, and behind the
same gates as the story."""

from __future__ import annotations

import base64
import io
import threading
import time
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from fabula.conf.models import site_settings
from fabula.formats import downloads, epub
from fabula.formats.actions import app_password_create
from fabula.formats.registry import downloadable_formats
from fabula.formats.tests.epubcheck import check_epubs
from fabula.formats.tests.helpers import SEED_SID, import_text
from fabula.stories import actions
from fabula.test import PASSWORD


@pytest.fixture(autouse=True)
def download_folder(settings, tmp_path):
    """Each test's downloads in a folder of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "downloads": {
            "BACKEND": "fabula.lib.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "downloads")},
        },
    }
    return tmp_path / "downloads"


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def builds(monkeypatch):
    """Counts EPUB builds."""
    counter = {"epub": 0}
    real = epub.gather

    def counting(*args, **kwargs):
        counter["epub"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(epub, "gather", counting)
    return counter


def test_story_page_offers_every_download_and_its_epub_passes_epubcheck(
    db, client, seed_path, tmp_path
):
    assert import_text(seed_path).error is None
    page = client.get(reverse("story", args=[SEED_SID])).content.decode()
    for name in downloadable_formats():
        assert f'href="{reverse("download", args=[SEED_SID, name])}"' in page
    response = client.get(reverse("download", args=[SEED_SID, "epub"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "the-last-temptation-of-jim-halpert-1970.epub" in response["Content-Disposition"]
    book = tmp_path / "downloaded.epub"
    book.write_bytes(content(response))
    check_epubs(book)


@pytest.mark.parametrize(
    "name,media_type,opening",
    [
        ("html", "text/html; charset=utf-8", b"<!doctype html>"),
        ("txt", "text/plain; charset=utf-8", b"The Last Temptation of Jim Halpert\nby Night Swept"),
        (
            "efiction-text",
            "text/plain; charset=utf-8",
            b"The Last Temptation of Jim Halpert by Night Swept",
        ),
    ],
)
def test_other_formats_download(db, client, seed_path, name, media_type, opening):
    assert import_text(seed_path).error is None
    response = client.get(reverse("download", args=[SEED_SID, name]))
    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    assert content(response).startswith(opening)


def test_the_seed_downloads_as_its_exact_printable_text(db, client, seed_path, seed_bytes):
    assert import_text(seed_path).error is None
    response = client.get(reverse("download", args=[SEED_SID, "efiction-text"]))
    assert content(response) == seed_bytes


def test_a_download_is_built_once_and_then_served_from_disk(
    db, client, make_story, author, builds, download_folder
):
    story = make_story(author)
    url = reverse("download", args=[story.pk, "epub"])
    first = content(client.get(url))
    second = content(client.get(url))
    assert first == second and builds["epub"] == 1
    files = list((download_folder / str(story.pk)).glob("*.epub"))
    assert len(files) == 1 and files[0].read_bytes() == first


def test_a_changed_story_is_rebuilt_and_its_old_file_removed(
    db, client, make_story, author, archive, builds, download_folder
):
    story = make_story(author)
    url = reverse("download", args=[story.pk, "epub"])
    client.get(url)
    actions.chapter_add(story=story, title="A new chapter", body="<p>More.</p>")
    fresh = content(client.get(url))
    assert builds["epub"] == 2
    with zipfile.ZipFile(io.BytesIO(fresh)) as book:
        assert "EPUB/chapter-3.xhtml" in book.namelist()
    assert len(list((download_folder / str(story.pk)).glob("*.epub"))) == 1
    # Tags change no date, but they are printed: a new version all the same.
    actions.story_set_tags(story=story, tags=[archive.other_fandom])
    assert b"Parks and Recreation" in content(
        client.get(reverse("download", args=[story.pk, "html"]))
    )
    content(client.get(url))
    assert builds["epub"] == 3


def test_conditional_requests_get_not_modified(db, client, make_story, author):
    story = make_story(author)
    url = reverse("download", args=[story.pk, "txt"])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_concurrent_requests_build_a_file_once(download_folder):
    calls = []

    def slow_build() -> bytes:
        calls.append(1)
        time.sleep(0.3)
        return b"the book"

    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(downloads.ensure_file("1/v.epub.epub", slow_build))
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert sorted(results) == [False] * 7 + [True]
    assert (download_folder / "1" / "v.epub.epub").read_bytes() == b"the book"
    assert not list((download_folder / "1").glob(".saving-*"))  # no half-written file left


def test_two_processes_building_one_file_both_save_it_whole(download_folder):
    """Another process (or web node) saved the same version first: saving again replaces it
    under the same name, never beside it, and the file is never half-written."""
    store = downloads.download_storage()
    assert store.save("2/v.txt.txt", ContentFile(b"same bytes")) == "2/v.txt.txt"
    assert store.save("2/v.txt.txt", ContentFile(b"same bytes")) == "2/v.txt.txt"
    assert sorted(p.name for p in (download_folder / "2").iterdir()) == ["v.txt.txt"]


def test_a_failed_build_leaves_no_file(download_folder):
    def broken() -> bytes:
        raise RuntimeError("the build broke")

    with pytest.raises(RuntimeError):
        downloads.ensure_file("x.epub", broken)
    assert not (download_folder / "x.epub").exists()
    assert downloads.ensure_file("x.epub", lambda: b"ok") is True


def test_unknown_story_or_format_is_404(db, client, make_story, author):
    story = make_story(author)
    assert client.get(reverse("download", args=[999999, "epub"])).status_code == 404
    assert client.get(reverse("download", args=[story.pk, "pdf"])).status_code == 404
    assert client.get(reverse("download", args=[story.pk, "atom"])).status_code == 404


def test_drafts_and_pending_stories_are_not_downloadable_but_by_their_authors(
    db, client, make_story, author, reader
):
    for status in ("draft", "pending", "hidden"):
        story = make_story(author, title=f"A {status} story", status=status)
        url = reverse("download", args=[story.pk, "epub"])
        assert client.get(url).status_code == 404
        client.force_login(reader)
        assert client.get(url).status_code == 404
        client.force_login(author)
        assert client.get(url).status_code == 200
        client.logout()


def test_members_only_story_needs_a_login_or_an_app_password(
    db, client, make_story, author, reader, archive
):
    story = make_story(author, rating=archive.members_only)
    url = reverse("download", args=[story.pk, "epub"])
    assert client.get(url).status_code == 403
    assert client.get(url + "?consent=yes").status_code == 403
    _, secret = app_password_create(user=reader, name="KOReader")
    assert client.get(url, headers=basic("Reader", secret)).status_code == 200
    assert client.get(url, headers=basic("Reader", PASSWORD)).status_code == 401
    client.force_login(reader)
    assert client.get(url).status_code == 200


def test_age_gated_story_needs_the_consent_parameter_or_a_consenting_session(
    db, client, make_story, author, archive
):
    story = make_story(author, rating=archive.adult)
    url = reverse("download", args=[story.pk, "epub"])
    gate = client.get(url)
    assert gate.status_code == 403 and b"Age check" in gate.content
    assert client.get(url + "?consent=yes").status_code == 200
    # The gate page's answer is remembered for the session; then the plain link works.
    answer = client.post(reverse("story-gate", args=[story.pk]), {"gate": "age", "next": url})
    assert answer.status_code == 302 and answer["Location"] == url
    assert client.get(url).status_code == 200


def basic(name: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_serving_a_built_download_costs_no_query_for_a_guest_and_few_for_a_member(
    db, client, make_story, author, reader, django_assert_num_queries, django_assert_max_num_queries
):
    story = make_story(author)
    url = reverse("download", args=[story.pk, "epub"])
    site_settings()  # made on first use, which retires cached versions: not what is measured
    first = content(client.get(url))
    with django_assert_num_queries(0):  # the guest's ticket is remembered
        again = client.get(url)
    assert again.status_code == 200 and content(again) == first
    assert again["Content-Disposition"] == f'attachment; filename="a-story-{story.pk}.epub"'
    client.force_login(reader)
    client.get(url)
    with django_assert_max_num_queries(3):  # session, member, story: the version is cached
        assert content(client.get(url)) == first


def test_big_files_are_streamed(db, client, make_story, author, monkeypatch):
    from fabula.formats import views

    story = make_story(author)
    url = reverse("download", args=[story.pk, "txt"])
    whole = client.get(url)
    assert not whole.streaming
    monkeypatch.setattr(views, "READ_WHOLE_BYTES", 10)
    streamed = client.get(url + "?again")
    assert streamed.streaming and content(streamed) == whole.content
    assert streamed["Content-Disposition"] == whole["Content-Disposition"]

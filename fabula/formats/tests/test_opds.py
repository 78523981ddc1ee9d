"""The OPDS catalog, walked as a reading app walks it: from /opds/ through navigation feeds to
a story and its EPUB; search through the OpenSearch description; pages; members' lists behind
HTTP Basic with an app password; and nothing a guest may not see."""

from __future__ import annotations

import base64
import io
import zipfile
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from lxml import etree

from fabula.community.models import Favourite, Reading
from fabula.formats import opds
from fabula.formats.actions import app_password_create
from fabula.formats.models import AppPassword
from fabula.formats.tests.atomcheck import NS, check_atom, entries, links, titles
from fabula.stories import actions
from fabula.test import PASSWORD

HIDDEN_TITLES = {"Draft Story", "Pending Story", "Hidden Story", "Members Story"}


@pytest.fixture
def catalog(make_story, author, coauthor, archive):
    stories = {
        "office": make_story(author, title="Office Hours", tags=[archive.subfandom, archive.jim]),
        "parks": make_story(coauthor, title="Parks Day", tags=[archive.other_fandom]),
        "adult": make_story(author, title="Late Night", rating=archive.adult),
    }
    series = actions.series_create(owner=author, title="Office Life")
    actions.series_add(series=series, story=stories["office"])
    for title, extra in (
        ("Draft Story", {"status": "draft"}),
        ("Pending Story", {"status": "pending"}),
        ("Hidden Story", {"status": "hidden"}),
        ("Members Story", {"rating": archive.members_only}),
    ):
        hidden = make_story(author, title=title, **extra)
        actions.series_add(series=series, story=hidden)
    stories["series"] = series
    return stories


def get_feed(client, url, **headers):
    path = urlsplit(url)
    response = client.get(path.path + (f"?{path.query}" if path.query else ""), headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    assert "profile=opds-catalog" in response["Content-Type"]
    return check_atom(response.content)


def follow(client, root, title, **headers):
    """The feed behind the entry with this title (its first link)."""
    for entry in entries(root):
        if entry.findtext("a:title", namespaces=NS) == title:
            return get_feed(client, links(entry)[0].get("href"), **headers)
    raise AssertionError(f"no entry {title!r} among {titles(root)}")


def acquisition(entry, media_type):
    for link in links(entry, opds.ACQUIRE):
        if link.get("type") == media_type:
            return link.get("href")
    raise AssertionError(f"no {media_type} link")


def test_an_app_walks_from_the_root_to_a_story_and_downloads_its_epub(client, catalog):
    root = get_feed(client, "/opds/")
    assert links(root, "start")[0].get("type") == opds.NAVIGATION
    assert links(root, "search")[0].get("type") == opds.OPENSEARCH
    categories = follow(client, root, "Categories")
    assert {"The Office > Jim and Pam", "Parks and Recreation"} <= set(titles(categories))
    office = follow(client, categories, "The Office > Jim and Pam")
    assert titles(office) == ["Office Hours"]
    entry = entries(office)[0]
    response = client.get(urlsplit(acquisition(entry, "application/epub+zip")).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(response.getvalue())) as book:
        assert book.read("mimetype") == b"application/epub+zip"
    html = client.get(urlsplit(acquisition(entry, "text/html")).path)
    assert html.status_code == 200 and b"Office Hours" in html.getvalue()


def test_every_navigation_path_leads_to_stories(client, catalog):
    root = get_feed(client, "/opds/")
    assert titles(follow(client, root, "Recently updated"))[0] in {
        "Office Hours",
        "Parks Day",
        "Late Night",
    }
    assert titles(follow(client, follow(client, root, "Authors"), "Midnight Owl")) == ["Parks Day"]
    assert titles(follow(client, follow(client, root, "Series"), "Office Life")) == ["Office Hours"]
    for top in opds.TOP_LISTS.values():
        assert set(titles(follow(client, root, top.title))) == {
            "Office Hours",
            "Parks Day",
            "Late Night",
        }


def test_an_age_gated_story_carries_the_consent_parameter_and_its_warning(client, catalog):
    recent = get_feed(client, "/opds/recent/")
    entry = next(e for e in entries(recent) if e.findtext("a:title", namespaces=NS) == "Late Night")
    href = acquisition(entry, "application/epub+zip")
    assert href.endswith("?consent=yes")
    assert "for adults only" in entry.findtext("a:content", namespaces=NS)
    assert client.get(urlsplit(href).path + "?consent=yes").status_code == 200


def test_drafts_pending_hidden_and_members_only_stories_appear_nowhere(client, catalog):
    seen: set[str] = set()
    pending = ["/opds/"]
    visited = set()
    while pending:  # every feed reachable from the root
        url = pending.pop()
        if url in visited or "favourites" in url or "later" in url:
            continue
        visited.add(url)
        root = get_feed(client, url)
        seen |= set(titles(root))
        for link in root.iter(f"{{{NS['a']}}}link"):
            if "profile=opds-catalog" in link.get("type") and link.get("rel") not in (
                "self",
                "start",
                "up",
            ):
                pending.append(
                    urlsplit(link.get("href")).path
                    + (
                        "?" + urlsplit(link.get("href")).query
                        if urlsplit(link.get("href")).query
                        else ""
                    )
                )
    assert len(visited) > 8
    assert "Office Hours" in seen and not (seen & HIDDEN_TITLES)


def test_opensearch_description_and_search(client, catalog):
    response = client.get(reverse("opds-opensearch"))
    assert response["Content-Type"].startswith(opds.OPENSEARCH)
    description = etree.fromstring(response.content)
    url = description.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url.get("type") == opds.ACQUISITION
    template = url.get("template")
    assert "{searchTerms}" in template
    found = get_feed(
        client, template.replace("{searchTerms}", "office").replace("{startPage?}", "1")
    )
    assert titles(found) == ["Office Hours"]
    assert titles(get_feed(client, "/opds/search/?q=midnight")) == ["Parks Day"]  # by pen name
    assert titles(get_feed(client, "/opds/search/?q=draft")) == []
    assert titles(get_feed(client, "/opds/search/?q=")) == []


def test_pagination_links_and_counts(client, make_story, author, site):
    site.items_per_page = 2
    site.save()
    for n in range(5):
        make_story(author, title=f"Story {n}")
    first = get_feed(client, "/opds/recent/")
    assert len(entries(first)) == 2
    assert first.findtext("opensearch:totalResults", namespaces=NS) == "5"
    assert first.findtext("opensearch:itemsPerPage", namespaces=NS) == "2"
    assert not links(first, "previous") and not links(first, "first")
    assert links(first, "last")[0].get("href").endswith("/opds/recent/?page=3")
    second = get_feed(client, links(first, "next")[0].get("href"))
    assert second.findtext("opensearch:startIndex", namespaces=NS) == "3"
    assert links(second, "previous")[0].get("href").endswith("/opds/recent/")
    third = get_feed(client, links(second, "next")[0].get("href"))
    assert len(entries(third)) == 1 and not links(third, "next")
    every = titles(first) + titles(second) + titles(third)
    assert sorted(every) == [f"Story {n}" for n in range(5)]
    assert client.get("/opds/recent/?page=9").status_code == 404


def basic(name, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


def test_member_lists_need_an_app_password_not_the_account_password(
    client, catalog, reader, archive
):
    Favourite.objects.create(user=reader, story=catalog["parks"])
    Favourite.objects.create(user=reader, author=catalog["office"].credits.first().user)
    Reading.objects.create(user=reader, story=catalog["office"], marked_for_later=True)
    Reading.objects.create(user=reader, story=catalog["adult"], marked_for_later=False)
    for url in ("/opds/favourites/", "/opds/later/"):
        anonymous = client.get(url)
        assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Basic")
        assert client.get(url, headers=basic("Reader", PASSWORD)).status_code == 401
    row, secret = app_password_create(user=reader, name="Thorium")
    # Kept as a Django password hash (the tests' fast hasher here; argon2 on a real site).
    assert secret not in row.password and check_password(secret, row.password)
    assert titles(get_feed(client, "/opds/favourites/", **basic("reader", secret))) == ["Parks Day"]
    assert titles(get_feed(client, "/opds/later/", **basic("Reader", secret))) == ["Office Hours"]
    assert client.get("/opds/later/", headers=basic("Night Swept", secret)).status_code == 401
    row.refresh_from_db()
    assert row.last_used_at is not None
    # With an app password a member sees members-only stories in the catalog too.
    assert "Members Story" in titles(get_feed(client, "/opds/recent/", **basic("Reader", secret)))
    row.delete()
    assert client.get("/opds/later/", headers=basic("Reader", secret)).status_code == 401


def test_members_make_and_revoke_app_passwords(client, reader, other_author):
    url = reverse("app-passwords")
    assert client.get(url).status_code == 302  # a login first
    client.force_login(reader)
    page = client.post(url, {"name": "KOReader on my Kobo"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    secret = page.context["new_password"]
    assert secret.startswith("fab-") and secret in page.content.decode()
    row = AppPassword.objects.get(user=reader)
    assert row.name == "KOReader on my Kobo" and secret not in row.password
    assert secret not in client.get(url).content.decode()  # shown once only
    assert client.get("/opds/later/", headers=basic("Reader", secret)).status_code == 200
    # Someone else's password cannot be revoked; one's own can.
    theirs, _ = app_password_create(user=other_author, name="Theirs")
    client.post(url, {"revoke": theirs.pk})
    assert AppPassword.objects.filter(pk=theirs.pk).exists()
    client.post(url, {"revoke": row.pk})
    assert not AppPassword.objects.filter(pk=row.pk).exists()
    client.logout()
    assert client.get("/opds/later/", headers=basic("Reader", secret)).status_code == 401


def test_the_opds_story_format_is_one_complete_entry(catalog):
    from fabula.formats.registry import get_format

    story = catalog["office"]
    entry = etree.fromstring(get_format("opds").render(story, list(story.chapters.all())))
    assert entry.tag == f"{{{NS['a']}}}entry"
    assert entry.findtext("a:title", namespaces=NS) == "Office Hours"
    assert acquisition(entry, "application/epub+zip").endswith(f"/downloads/{story.pk}/epub/")


@pytest.mark.parametrize(
    "address", ["/opds/tags/999999/", "/opds/authors/999999/", "/opds/series/999999/"]
)
def test_a_feed_of_something_that_does_not_exist_is_not_found(client, catalog, address):
    assert client.get(address).status_code == 404

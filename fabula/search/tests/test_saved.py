"""Saved searches for members, and their Atom feeds of new matches."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from fabula.search.models import SavedSearch
from fabula.stories.models import Status

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_a_member_saves_a_search_and_reads_its_feed(client, reader, author, archive, write_story):
    write_story(author, "Old Mill", ["<p>the millstone turned</p>"], tags=[archive.humor])
    client.force_login(reader)
    page = client.get(reverse("search:results"), {"q": "millstone", "tag": archive.humor.pk})
    assert 'action="/search/saved/new/"' in page.content.decode()
    response = client.post(
        reverse("search:save"),
        {
            "name": "Mills",
            "query_string": f"q=millstone&tag={archive.humor.pk}&page=3",
        },
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=reader)
    assert saved.query_string == f"q=millstone&tag={archive.humor.pk}"
    listing = client.get(reverse("search:saved")).content.decode()
    assert "Mills" in listing and saved.feed_url() in listing

    client.logout()  # a feed reader has no session: the token is the key
    write_story(author, "New Mill", ["<p>a new millstone</p>"], tags=[archive.humor])
    write_story(
        author,
        "Draft Mill",
        ["<p>millstone</p>"],
        tags=[archive.humor],
        status=Status.DRAFT,
        chapter_status=Status.DRAFT,
    )
    write_story(author, "Untagged Mill", ["<p>millstone</p>"], tags=[archive.angst])
    response = client.get(saved.feed_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title", "") for entry in feed.findall(f"{ATOM}entry")]
    assert sorted(titles) == ["New Mill", "Old Mill"]


def test_a_feed_needs_its_token(client, reader):
    saved = SavedSearch.objects.create(user=reader, name="x", query_string="q=x")
    assert client.get(reverse("search:feed", args=[saved.pk, "wrong"])).status_code == 404
    assert client.get(reverse("search:feed", args=[999, saved.feed_token])).status_code == 404


def test_guests_cannot_save_and_members_delete_only_their_own(client, reader, author):
    response = client.post(reverse("search:save"), {"name": "x", "query_string": "q=x"})
    assert response.status_code == 302 and "login" in response["Location"]
    theirs = SavedSearch.objects.create(user=author, name="theirs", query_string="q=x")
    client.force_login(reader)
    assert client.post(reverse("search:delete", args=[theirs.pk])).status_code == 404
    mine = SavedSearch.objects.create(user=reader, name="mine", query_string="q=y")
    client.post(reverse("search:delete", args=[mine.pk]))
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["theirs"]


def test_saving_nothing_is_refused(client, reader):
    client.force_login(reader)
    client.post(reverse("search:save"), {"name": "x", "query_string": "page=2&evil=1"})
    assert not SavedSearch.objects.exists()

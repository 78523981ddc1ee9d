"""A story's language (issue 14, item 6): chosen in the post and edit forms
(test_post_form.py), it is named in its own tongue on story cards, marks the story's text with
lang= for browsers and screen readers, filters browse and search pages, and goes out in the API
object, the EPUB's metadata and OPDS entries. A code the archive does not know is refused with a
clear message and changes nothing."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from fabula.api.tests.helpers import API, bearer, call
from fabula.stories.models import Story
from fabula.test import chapter_url

DC = "http://purl.org/dc/elements/1.1/"  # the EPUB's package
DC_TERMS = "http://purl.org/dc/terms/"  # OPDS entries


@pytest.fixture
def stories(author, make_story) -> tuple[Story, Story]:
    return make_story(author, "Le Phare", language="fr"), make_story(author, "The Lighthouse")


def test_a_card_names_the_language_in_its_own_tongue(client, stories):
    page = client.get(reverse("browse")).content.decode()
    french = page.split("Le Phare")[1].split("</article>")[0]
    assert re.search(r'<dt>Language</dt> <dd lang="fr"[^>]*>français</dd>', french)
    english = page.split("The Lighthouse")[1].split("</article>")[0]
    assert re.search(r'<dd lang="en"[^>]*>English</dd>', english)


def test_the_story_text_carries_its_language(client, stories):
    french, _ = stories
    for address in [chapter_url(french, 1), reverse("story-full", args=[french.pk])]:
        page = client.get(address).content.decode()
        assert re.search(r'<div class="chapter-text"[^>]* lang="fr"[^>]*>', page), address
        assert '<html lang="en"' in page  # the site's own words stay in the site's language


@pytest.mark.parametrize("address", [reverse("browse"), "/search/"])
def test_browse_and_search_filter_by_language(client, stories, address):
    page = client.get(address, {"lang": "fr"}).content.decode()
    assert "Le Phare" in page and "The Lighthouse" not in page
    sidebar = client.get(reverse("browse")).content.decode()
    assert re.search(
        r'name="lang" value="fr"> français \(French\) <span class="count">\(1\)', sidebar
    )


def test_the_api_object_has_the_language(client, stories):
    french, _ = stories
    body = client.get(f"{API}/stories/{french.pk}").json()
    assert body["language"] == "fr" and body["language_name"] == "français"
    listed = client.get(f"{API}/search", {"lang": "fr"}).json()
    assert [r["story"]["title"] for r in listed["results"]] == ["Le Phare"]


def test_epub_and_opds_carry_the_language(client, stories):
    french, _ = stories
    epub = client.get(reverse("download", args=[french.pk, "epub"]))
    assert epub.status_code == 200
    data = epub.content if not epub.streaming else b"".join(epub.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        chapter = next(
            name for name in book.namelist() if name.endswith(".xhtml") and "chap" in name
        )
        assert b'xml:lang="fr"' in book.read(chapter) or b'lang="fr"' in book.read(chapter)
    assert opf.xpath("//dc:language/text()", namespaces={"dc": DC}) == ["fr"]
    catalog = client.get(reverse("opds-recent")).content
    entries = etree.fromstring(catalog).findall("{http://www.w3.org/2005/Atom}entry")
    languages = {
        entry.findtext("{http://www.w3.org/2005/Atom}title"): entry.findtext(
            f"{{{DC_TERMS}}}language"
        )
        for entry in entries
    }
    assert languages == {"Le Phare": "fr", "The Lighthouse": "en"}


def test_an_unknown_language_is_refused_by_the_api_and_nothing_changes(
    client, author, archive, stories
):
    french, _ = stories
    headers = bearer(author, "write")
    response = call(
        client,
        "put",
        f"/stories/{french.pk}",
        headers,
        {"title": "Renamed", "rating_id": archive.general.pk, "language": "klingon"},
    )
    assert response.status_code == 422
    assert "Choose a language from the list." in response.content.decode()
    french.refresh_from_db()
    assert french.title == "Le Phare" and french.language == "fr"
    before = Story.objects.count()
    response = call(
        client,
        "post",
        "/stories",
        headers,
        {
            "title": "Nouveau",
            "rating_id": archive.general.pk,
            "language": "xx",
            "chapter": {"body": "<p>Mots.</p>"},
        },
    )
    assert response.status_code == 422 and Story.objects.count() == before


def test_the_edit_form_refuses_an_unknown_language_beside_its_menu(client, author, stories):
    french, _ = stories
    client.force_login(author)
    edit = reverse("stories:edit", args=[french.pk])
    form = Client()
    form.force_login(author)
    response = form.post(
        edit,
        {"title": "Renamed", "rating": french.rating_id, "language": "klingon"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Choose a language from the list." in page
    assert re.search(r'id="id_language_error"|aria-describedby="[^"]*id_language_error', page)
    french.refresh_from_db()
    assert french.title == "Le Phare" and french.language == "fr"

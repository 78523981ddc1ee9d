"""eFiction's pages stay English, byte for byte, whatever language the reader's browser asks for:
scrapers read their markup. Fabula's own pages answer in the reader's language."""

from __future__ import annotations

import pytest

PAGES = [
    "/viewstory.php?action=printable&textsize=0&sid=1&chapter=all",
    "/viewstory.php?action=printable&textsize=0&sid=1&chapter=1",
    "/viewstory.php?sid=1&index=1",
]


@pytest.mark.parametrize("url", PAGES)
def test_legacy_pages_are_the_same_bytes_in_german(client, sid1, settings, url):
    settings.PAGE_CACHE_SECONDS = 0  # each answer is built afresh, not served from the cache
    english = client.get(url)
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert english.status_code == german.status_code == 200
    assert german.content == english.content
    assert german["Content-Language"] == "en"


def test_the_modern_story_page_answers_in_german(client, sid1):
    page = client.get("/stories/1/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de"' in page and "Lesen beginnen" in page

"""A guest walks every surface of the archive and finds neither a work of an unrevealed
collection nor the name of an author of an anonymous one; after the reveal they find both.

Surfaces: home, lists, tag and rating pages, authors and author pages, search (by title, by
author), Atom feeds, OPDS (lists, search, author), the API (lists, detail, author, search), the
legacy eFiction addresses (viewstory, printable, index) and the downloads."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from fabula.collections import actions
from fabula.stories import actions as story_actions
from fabula.stories.models import Story
from fabula.test import make_user

HIDDEN = "Secret Gift"  # in an unrevealed, anonymous exchange
HIDDEN_AUTHOR = "Hidden Hand"
MASKED = "Masked Tale"  # in an anonymous collection whose works are revealed
MASKED_AUTHOR = "Masked Writer"


@pytest.fixture
def shelf(make_story, archive, django_capture_on_commit_callbacks):
    keeper = make_user("Keeper")
    hidden_author, masked_author = make_user(HIDDEN_AUTHOR), make_user(MASKED_AUTHOR)
    with django_capture_on_commit_callbacks(execute=True):
        exchange = actions.collection_create(
            by=keeper,
            name="swap",
            title="Swap",
            kind="exchange",
            unrevealed=True,
            anonymous=True,
        )
        masquerade = actions.collection_create(
            by=keeper, name="masks", title="Masks", anonymous=True
        )
        hidden = make_story(hidden_author, HIDDEN, tags=[archive.fandom, archive.jim])
        masked = make_story(masked_author, MASKED, tags=[archive.fandom, archive.jim])
        actions.collection_add_work(collection=exchange, story=hidden, by=hidden_author)
        actions.collection_add_work(collection=masquerade, story=masked, by=masked_author)
        plain = make_story(keeper, "Plain Story", tags=[archive.fandom, archive.jim])
        # The masked work remixes the plain one, whose page lists it as a related work.
        relation = story_actions.relation_add(
            story=masked, kind="remix", to=str(plain.pk), by=masked_author
        )
        story_actions.relation_answer(relation=relation, approve=True, by=keeper)
    return {
        "keeper": keeper,
        "exchange": exchange,
        "masquerade": masquerade,
        "hidden": Story.objects.get(pk=hidden.pk),
        "masked": Story.objects.get(pk=masked.pk),
        "plain": plain,
        "hidden_author": hidden_author,
        "masked_author": masked_author,
    }


def _surfaces(shelf, archive) -> list[str]:
    hidden, masked = shelf["hidden"], shelf["masked"]
    authors = [shelf["hidden_author"], shelf["masked_author"]]
    urls = [
        reverse("home"),
        reverse("browse"),
        reverse("recent"),
        reverse("titles"),
        reverse("browse-kind", args=["categories"]),
        reverse("browse-tag", args=["categories", archive.fandom.pk]),
        reverse("browse-tag", args=["characters", archive.jim.pk]),
        reverse("browse-rating", args=[archive.general.pk]),
        reverse("authors"),
        reverse("collections:list"),
        reverse("collections:detail", args=["swap"]),
        reverse("collections:detail", args=["masks"]),
        reverse("search:results") + "?q=secret",
        reverse("search:results") + "?q=gift",
        reverse("search:results") + "?q=hidden+hand",
        reverse("search:results") + "?q=masked+writer",
        reverse("search:results") + '?q=author:"masked writer"',
        reverse("feed-recent"),
        reverse("feed-tag", args=[archive.fandom.pk]),
        reverse("opds-root"),
        reverse("opds-recent"),
        reverse("opds-tag", args=[archive.fandom.pk]),
        reverse("opds-authors"),
        reverse("opds-search") + "?q=hidden",
        reverse("opds-search") + "?q=masked+writer",
        "/api/v1/stories",
        "/api/v1/recent",
        "/api/v1/authors",
        "/api/v1/search?q=secret",
        "/api/v1/search?q=masked+writer",
        f"/api/v1/tags/{archive.fandom.pk}/stories",
        f"/api/v1/stories/{masked.pk}",
        f"/api/v1/stories/{masked.pk}/chapters/1",
        reverse("story", args=[masked.pk]),
        reverse("story", args=[shelf["plain"].pk]),
        reverse("story-full", args=[masked.pk]),
        reverse("feed-story", args=[masked.pk]),
        f"/viewstory.php?sid={masked.pk}",
        f"/viewstory.php?sid={masked.pk}&index=1",
        f"/viewstory.php?action=printable&sid={masked.pk}&chapter=all",
        *(reverse("download", args=[masked.pk, name]) for name in ("html", "txt", "epub")),
    ]
    for author in authors:
        urls += [
            reverse("author", args=[author.pk]),
            reverse("feed-author", args=[author.pk]),
            reverse("opds-author", args=[author.pk]),
            f"/api/v1/authors/{author.pk}",
            f"/api/v1/authors/{author.pk}/stories",
        ]
    # The unrevealed work's own addresses answer as if it did not exist.
    urls += [
        reverse("story", args=[hidden.pk]),
        reverse("story-full", args=[hidden.pk]),
        reverse("feed-story", args=[hidden.pk]),
        f"/api/v1/stories/{hidden.pk}",
        f"/viewstory.php?sid={hidden.pk}",
        f"/viewstory.php?action=printable&sid={hidden.pk}&chapter=all",
        *(reverse("download", args=[hidden.pk, name]) for name in ("html", "txt", "epub")),
    ]
    return urls


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK"):  # an EPUB: read every file in it
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            body = b"".join(book.read(name) for name in book.namelist())
    return body.decode("utf-8", "replace")


def _on_own_page(url: str, shelf) -> str | None:
    """An author page names its author, of course: there only their works must be missing."""
    for author in (shelf["hidden_author"], shelf["masked_author"]):
        if f"/{author.pk}" in url and "author" in url:
            return author.pen_name
    return None


def test_a_guest_finds_no_unrevealed_work_nor_anonymous_author(client, shelf, archive):
    seen_masked = 0
    for url in _surfaces(shelf, archive):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        text = _text(response)
        assert HIDDEN not in text, url
        own = _on_own_page(url, shelf)
        for name in (HIDDEN_AUTHOR, MASKED_AUTHOR):
            if name != own:
                assert name not in text, (url, name)
        if own:
            assert MASKED not in text, url
        seen_masked += MASKED in text
    # The anonymous collection's work is listed and readable, only its author is hidden.
    assert seen_masked > 10


def test_after_the_reveal_the_guest_finds_both(
    client, shelf, archive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.collection_reveal(collection=shelf["exchange"], by=shelf["keeper"])
        actions.collection_reveal(collection=shelf["masquerade"], by=shelf["keeper"])
    hidden, author = shelf["hidden"], shelf["hidden_author"]
    for url in (
        reverse("recent"),
        reverse("story", args=[hidden.pk]),
        reverse("author", args=[author.pk]),
        reverse("collections:detail", args=["swap"]),
        reverse("search:results") + "?q=hidden+hand",
        f"/api/v1/stories/{hidden.pk}",
        reverse("feed-author", args=[author.pk]),
    ):
        text = _text(client.get(url))
        assert HIDDEN in text and HIDDEN_AUTHOR in text, url
    text = _text(client.get(reverse("story", args=[shelf["masked"].pk])))
    assert MASKED_AUTHOR in text

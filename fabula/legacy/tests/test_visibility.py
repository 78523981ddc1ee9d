"""Old links obey the same rule as every page: what a reader may not see does not exist for them
(a 404 that names nothing), members-only stories ask for a login, and eFiction's consent and
warning links answer Fabula's gates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fabula.lib.tests.markup import parse
from fabula.stories import actions
from fabula.stories.models import Status
from fabula.taxonomy.models import Rating
from fabula.test import PASSWORD, chapter_url

pytestmark = pytest.mark.django_db

ROOT = "/fanfiction"


def legacy_urls(story) -> list[str]:
    first = story.chapters.order_by("position").first()
    return [
        f"{ROOT}/viewstory.php?sid={story.pk}",
        f"{ROOT}/viewstory.php?sid={story.pk}&chapter=1",
        f"{ROOT}/viewstory.php?sid={story.pk}&index=1",
        f"{ROOT}/viewstory.php?action=printable&textsize=0&sid={story.pk}&chapter=all",
        f"{ROOT}/viewstory.php?action=printable&textsize=0&sid={story.pk}&chapter=1",
        f"{ROOT}/viewstory.php?chapid={first.pk}",
        f"{ROOT}/reviews.php?type=ST&item={story.pk}",
    ]


def login(client, user):
    assert client.login(username=user.pen_name, password=PASSWORD)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.HIDDEN])
def test_unpublished_stories_do_not_exist_for_readers(
    client, make_story, author, reader, other_author, status
):
    story = make_story(author, title="Quiet Unlisted Story", status=status)
    for who in (None, reader, other_author):
        if who:
            login(client, who)
        for url in legacy_urls(story):
            response = client.get(url)
            assert response.status_code == 404, (who, url, response.status_code)
            assert b"Quiet Unlisted Story" not in response.content
            assert b"Text of chapter" not in response.content


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.HIDDEN])
def test_authors_and_moderators_see_unpublished_stories(
    client, make_story, author, coauthor, moderator, status
):
    story = make_story(author, title="Quiet Unlisted Story", status=status, coauthors=[coauthor])
    for who in (author, coauthor, moderator):
        login(client, who)
        for url in legacy_urls(story):
            assert client.get(url).status_code in (200, 301), (who, url)
        printed = client.get(legacy_urls(story)[3])
        assert b"Text of chapter 2" in printed.content


def test_a_story_without_released_chapters_does_not_exist_for_readers(client, make_story, author):
    story = make_story(author, title="Coming Soon", chapters=0)
    actions.chapter_add(
        story=story,
        title="Later",
        body="<p>Not yet.</p>",
        release_at=timezone.now() + timedelta(days=2),
    )
    for url in legacy_urls(story):
        assert client.get(url).status_code == 404, url


def test_members_only_stories_ask_guests_to_log_in(client, make_story, author, reader, archive):
    story = make_story(author, title="Members Story", rating=archive.members_only)
    for url in legacy_urls(story)[2:5]:  # the index and the printable pages answer in place
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Registered Users Only" in response.content
        assert b"Members Story" not in response.content
        assert b"Text of chapter" not in response.content
        assert b"/accounts/login/?next=%2Ffanfiction%2Fviewstory.php%3F" in response.content
    # Reader pages move on; Fabula's chapter page stands its own gate.
    assert client.get(legacy_urls(story)[0])["Location"] == chapter_url(story, 1)
    login(client, reader)
    response = client.get(legacy_urls(story)[3])
    assert response.status_code == 200
    assert b"Text of chapter 2" in response.content


def test_eFictions_age_consent_link_opens_the_printable_view(client, make_story, author, archive):
    story = make_story(author, title="Adult Story", rating=archive.adult)
    url = f"{ROOT}/viewstory.php?action=printable&textsize=0&sid={story.pk}&chapter=all"
    gate = client.get(url)
    assert gate.status_code == 200
    assert b"Age Consent Required" in gate.content
    assert b"This story is for adults only." in gate.content
    assert b"Text of chapter" not in gate.content
    continue_link = next(
        a.attrs["href"] for a in parse(gate.content).find_all("a") if a.text == "Continue"
    )
    assert continue_link == (
        f"viewstory.php?action=printable&textsize=0&sid={story.pk}&chapter=all"
        f"&ageconsent=ok&warning={archive.adult.pk}"
    )
    passed = client.get(f"{ROOT}/{continue_link}")
    assert passed.status_code == 200
    assert b"Text of chapter 2" in passed.content
    # The answer lasts for the session.
    assert b"Text of chapter 2" in client.get(url).content


def test_a_gate_link_for_another_rating_answers_nothing(client, make_story, author, archive):
    story = make_story(author, rating=archive.adult)
    url = f"{ROOT}/viewstory.php?action=printable&sid={story.pk}&chapter=all"
    for answer in (
        f"&ageconsent=ok&warning={archive.general.pk}",
        "&ageconsent=ok&warning=abc",
        "&ageconsent=ok",
        f"&ageconsent=yes&warning={archive.adult.pk}",
    ):
        response = client.get(url + answer)
        assert b"Age Consent Required" in response.content, answer
        assert b"Text of chapter" not in response.content, answer


def test_a_warning_link_alone_does_not_give_age_consent(client, make_story, author, archive):
    story = make_story(author, rating=archive.adult)
    response = client.get(
        f"{ROOT}/viewstory.php?action=printable&sid={story.pk}&chapter=all&warning={archive.adult.pk}"
    )
    assert b"Age Consent Required" in response.content
    assert client.session.get("warned_ratings") == [archive.adult.pk]
    assert not client.session.get("age_consent")


def test_a_warning_rating_is_answered_with_eFictions_warning_link(client, make_story, author):
    spoilers = Rating.objects.create(
        name="Spoilers", warning=True, warning_text="Mind the spoilers."
    )
    story = make_story(author, rating=spoilers)
    url = f"{ROOT}/viewstory.php?action=printable&sid={story.pk}&chapter=1"
    gate = client.get(url)
    assert b"Mind the spoilers." in gate.content
    assert b"Age Consent Required" not in gate.content
    continue_link = next(
        a.attrs["href"] for a in parse(gate.content).find_all("a") if a.text == "Continue"
    )
    assert continue_link.endswith(f"&warning={spoilers.pk}")
    assert "ageconsent" not in continue_link
    assert b"Text of chapter 1" in client.get(f"{ROOT}/{continue_link}").content


def test_the_story_index_shows_no_consent_gate(client, make_story, author, archive):
    """Like Fabula's own index, it shows what lists show; the gates stand before the text."""
    story = make_story(author, title="Adult Story", rating=archive.adult)
    response = client.get(f"{ROOT}/viewstory.php?sid={story.pk}&index=1")
    assert response.status_code == 200
    assert parse(response.content).text(id="pagetitle") == "Adult Story by Night Swept"


def test_a_reader_link_with_the_consent_answers_the_gate_then_moves(
    client, make_story, author, archive
):
    story = make_story(author, rating=archive.adult)
    response = client.get(
        f"{ROOT}/viewstory.php?sid={story.pk}&amp;chapter=2&amp;ageconsent=ok&amp;warning={archive.adult.pk}"
    )
    assert response.status_code == 301
    assert response["Location"] == chapter_url(story, 2)
    assert client.session["age_consent"] is True
    assert client.session["warned_ratings"] == [archive.adult.pk]


def test_authors_pass_their_own_gates(client, make_story, author, archive):
    story = make_story(author, rating=archive.adult)
    login(client, author)
    response = client.get(f"{ROOT}/viewstory.php?action=printable&sid={story.pk}&chapter=all")
    assert b"Text of chapter 1" in response.content

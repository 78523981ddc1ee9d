"""The pages that stand before a story's text: members only, age consent, content warning."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fabula.taxonomy.models import Rating
from fabula.test import chapter_url


@pytest.fixture
def warned(db) -> Rating:
    return Rating.objects.create(
        name="Mature", order=5, warning=True, warning_text="Graphic violence ahead."
    )


@pytest.fixture
def age_only(db) -> Rating:
    return Rating.objects.create(name="Adults", order=6, age_consent=True)


def text_of(client, story, position=1):
    return client.get(chapter_url(story.pk, position))


def answer(client, story, gate, next_url):
    return client.post(reverse("story-gate", args=[story.pk]), {"gate": gate, "next": next_url})


def test_members_only_story_asks_guests_to_log_in(client, make_story, author, reader, archive):
    story = make_story(author, "For Members", rating=archive.members_only)
    for url in [
        chapter_url(story.pk, 1),
        reverse("story-full", args=[story.pk]),
        reverse("story", args=[story.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 403
        page = response.content.decode()
        assert "Registered users only" in page and "Text of chapter" not in page
        assert f'href="{reverse("accounts:login")}?next={url}"' in page
    client.force_login(reader)
    response = text_of(client, story)
    assert response.status_code == 200 and "Text of chapter 1" in response.content.decode()


def test_age_gate_shows_the_warning_and_is_remembered_for_the_session(
    client, make_story, author, archive
):
    story = make_story(author, "Adult Story", rating=archive.adult)
    other = make_story(author, "Another Adult Story", rating=archive.adult)
    first_url = chapter_url(story.pk, 2)
    response = client.get(first_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Age check" in page and "This story is for adults only." in page
    assert "old enough" in page and "Text of chapter" not in page
    assert f'value="{first_url}"' in page and 'name="csrfmiddlewaretoken"' in page
    # The story index is not gated by age or warning: it shows what lists show.
    assert "Chapters" in client.get(reverse("story", args=[story.pk])).content.decode()

    response = answer(client, story, "age", first_url)
    assert response.status_code == 302 and response["Location"] == first_url
    assert "Text of chapter 2" in text_of(client, story, 2).content.decode()
    # Remembered for the session: the same rating's other stories open at once.
    assert "Text of chapter 1" in text_of(client, other).content.decode()
    assert "Text of chapter" in client.get(reverse("story-full", args=[other.pk])).content.decode()
    # A new session (another browser) is asked again.
    assert "Age check" in text_of(Client(), story).content.decode()


def test_warning_gate(client, make_story, author, warned):
    story = make_story(author, "Dark Story", rating=warned)
    page = text_of(client, story).content.decode()
    assert "Content warning" in page and "Graphic violence ahead." in page
    assert "Text of chapter" not in page
    answer(client, story, "warning", chapter_url(story.pk, 1))
    assert "Text of chapter 1" in text_of(client, story).content.decode()


def test_member_age_preference_skips_the_age_question(
    client, make_story, author, reader, archive, age_only
):
    reader.age_consent = True
    reader.save()
    client.force_login(reader)
    assert (
        "Text of chapter 1" in text_of(client, make_story(author, rating=age_only)).content.decode()
    )
    # A rating that also warns still shows its warning.
    page = text_of(client, make_story(author, "Both", rating=archive.adult)).content.decode()
    assert "Content warning" in page and "Age check" not in page


def test_member_without_the_preference_is_asked(client, make_story, author, reader, age_only):
    client.force_login(reader)
    assert "Age check" in text_of(client, make_story(author, rating=age_only)).content.decode()


def test_authors_and_moderators_pass_every_gate(client, make_story, author, moderator, archive):
    story = make_story(author, rating=archive.adult)
    for user in (author, moderator):
        client.force_login(user)
        assert "Text of chapter 1" in text_of(client, story).content.decode()


@pytest.mark.parametrize(
    "bad_next",
    [
        "https://evil.example/steal",
        "//evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_unsafe_next_is_ignored(client, make_story, author, archive, bad_next):
    story = make_story(author, rating=archive.adult)
    response = answer(client, story, "age", bad_next)
    assert response.status_code == 302
    assert response["Location"] == reverse("story", args=[story.pk])


def test_gate_answers_are_checked(client, make_story, author, archive):
    story = make_story(author, rating=archive.members_only)
    url = reverse("story-gate", args=[story.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"gate": "registered", "next": "/"}).status_code == 400
    assert client.post(url, {"gate": "nonsense"}).status_code == 400
    assert client.post(reverse("story-gate", args=[999999]), {"gate": "age"}).status_code == 404
    # Passing the age gate does not open a members-only story.
    adult = make_story(author, rating=archive.adult)
    answer(client, adult, "age", "/")
    assert text_of(client, story).status_code == 403


def test_gate_needs_the_csrf_token(make_story, author, archive):
    story = make_story(author, rating=archive.adult)
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("story-gate", args=[story.pk]), {"gate": "age", "next": "/"})
    assert response.status_code == 403
    assert "Age check" in text_of(client, story).content.decode()


def test_gate_pages_are_not_served_from_the_guest_cache(client, make_story, author, archive):
    story = make_story(author, rating=archive.adult)
    first = Client()
    assert "Age check" in text_of(first, story).content.decode()
    answer(first, story, "age", "/")
    # The guest who answered now has a session; a new guest is still asked, not served text.
    assert "Text of chapter 1" in text_of(first, story).content.decode()
    assert "Age check" in text_of(Client(), story).content.decode()


def test_a_members_only_rating_page_asks_guests_to_log_in(client, archive, reader):
    page = reverse("browse-rating", args=[archive.members_only.pk])
    assert "for members only" in client.get(page).content.decode()
    client.force_login(reader)
    assert "for members only" not in client.get(page).content.decode()
    general = reverse("browse-rating", args=[archive.general.pk])
    client.logout()
    assert "for members only" not in client.get(general).content.decode()

"""The interface's language: the browser's by default, the footer's switcher (a cookie for a
guest, a preference for a member), a member's preference before everything else. English stays
the default for a browser that asks for nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fabula.accounts import actions
from fabula.lib.refusals import ActionRefused

pytestmark = pytest.mark.django_db

HOME = "/"


def lang(response) -> str:
    page = response.content.decode()
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_english_without_a_choice_and_the_browsers_language_otherwise(client):
    assert lang(client.get(HOME)) == "en"
    assert lang(client.get(HOME, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")) == "fr"
    arabic = client.get(HOME, HTTP_ACCEPT_LANGUAGE="ar")
    assert '<html lang="ar" dir="rtl"' in arabic.content.decode()
    assert arabic["Content-Language"] == "ar" and "Accept-Language" in arabic["Vary"]
    # A language the site does not speak falls back to English.
    assert lang(client.get(HOME, HTTP_ACCEPT_LANGUAGE="ja")) == "en"


def test_the_footer_switcher_sets_a_guests_language_without_a_token(settings):
    guest = Client(enforce_csrf_checks=True)
    page = guest.get(HOME).content.decode()
    assert 'action="/accounts/language/"' in page and "csrfmiddlewaretoken" not in page
    response = guest.post(reverse("accounts:language"), {"language": "de", "next": "/search/"})
    assert response.status_code == 302 and response["Location"] == "/search/"
    assert lang(guest.get(HOME, HTTP_ACCEPT_LANGUAGE="fr")) == "de"  # the cookie before the browser


def test_guest_pages_are_cached_per_language(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    assert lang(client.get("/recent/", HTTP_ACCEPT_LANGUAGE="de")) == "de"
    assert lang(client.get("/recent/")) == "en"
    assert lang(client.get("/recent/", HTTP_ACCEPT_LANGUAGE="de")) == "de"


def test_a_members_preference_comes_first(author):
    member = Client()
    member.force_login(author)
    response = member.post(
        reverse("accounts:preferences"),
        {"theme": "auto", "text_size": "100", "alerts": "immediate", "language": "es"},
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.language == "es"
    assert lang(member.get(HOME, HTTP_ACCEPT_LANGUAGE="de")) == "es"
    # "As my browser asks": the browser's language again.
    member.post(
        reverse("accounts:preferences"),
        {"theme": "auto", "text_size": "100", "alerts": "immediate", "language": ""},
    )
    assert lang(member.get(HOME, HTTP_ACCEPT_LANGUAGE="de")) == "de"


def test_the_footer_switcher_saves_a_members_choice(author):
    member = Client(enforce_csrf_checks=True)
    member.force_login(author)
    page = member.get(HOME).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    member.post(
        reverse("accounts:language"),
        {"language": "fr", "next": HOME, "csrfmiddlewaretoken": token},
    )
    author.refresh_from_db()
    assert author.language == "fr"
    assert lang(member.get(HOME)) == "fr"


def test_a_cross_site_post_changes_no_members_preference(author):
    member = Client(enforce_csrf_checks=True)
    member.force_login(author)
    member.post(reverse("accounts:language"), {"language": "ar", "next": HOME})
    author.refresh_from_db()
    assert author.language == ""


def test_a_language_the_site_does_not_speak_is_refused(author):
    with pytest.raises(ActionRefused, match="no interface in that language"):
        actions.language_choose(user=author, language="xx")
    author.refresh_from_db()
    assert author.language == ""
    member = Client()
    member.force_login(author)
    response = member.post(
        reverse("accounts:preferences"),
        {"theme": "auto", "text_size": "100", "alerts": "immediate", "language": "xx"},
    )
    assert response.status_code == 200 and "language" in response.context["form"].errors
    author.refresh_from_db()
    assert author.language == ""


def test_emails_speak_the_members_language(author, mailoutbox):
    from fabula.notifications.emails import _send

    author.language = "de"
    author.email = "author@example.org"
    author.save()
    _send(author, "Betreff", "notification", {"notification": _Note(), "detail": ""})
    assert "Hallo " in mailoutbox[0].body and "Ändern, wie du von uns hörst" in mailoutbox[0].body


class _Note:
    text = "Ein neues Kapitel"
    url = "/"

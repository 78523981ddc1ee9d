"""Joining, logging in (with its rate limit), resetting a password, profile, preferences.

Leaving, which decides what becomes of one's stories, is tested in stories/tests/test_members.py.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from fabula.accounts import actions
from fabula.accounts.models import User
from fabula.lib.refusals import ActionRefused
from fabula.lib.tests.test_weblinks import BAD_WEBSITES
from fabula.test import PASSWORD, set_site

pytestmark = pytest.mark.django_db


def join(client, **overrides):
    data = {
        "pen_name": "New Writer",
        "email": "new@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "age": "on",
    }
    data.update(overrides)
    return client.post(
        reverse("accounts:register"), {k: v for k, v in data.items() if v is not None}
    )


def test_register_logs_in_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = join(client)
    assert response.status_code == 302
    user = User.objects.get(pen_name="New Writer")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert client.get(reverse("stories:mine")).status_code == 200


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"pen_name": "night swept"}, "is taken"),
        ({"password2": "something else entirely"}, "The two passwords differ."),
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"age": None}, "Please confirm this to join."),
    ],
)
def test_register_bad_input(client, author, overrides, message):
    response = join(client, **overrides)
    page = response.content.decode()
    assert message in page
    assert User.objects.count() == 1
    assert 'value="' + (overrides.get("email") or "new@example.org") + '"' in page


def test_register_requires_terms_when_set(client):
    set_site(terms="Be kind.")
    assert "Please accept the terms" in join(client).content.decode()
    assert join(client, terms="on").status_code == 302


def test_registration_is_rate_limited(client):
    for n in range(5):
        assert join(client, pen_name=f"Writer {n}").status_code == 302
        client.logout()
    response = join(client, pen_name="Writer 6")
    assert response.status_code == 429
    assert not User.objects.filter(pen_name="Writer 6").exists()


def test_login_ignores_case(client, author):
    response = client.post(
        reverse("accounts:login"), {"username": "night swept", "password": PASSWORD}
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(author.pk)


def test_banned_member_cannot_log_in(client, author):
    author.is_active = False
    author.save()
    client.post(reverse("accounts:login"), {"username": "Night Swept", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, author):
    client.post(reverse("accounts:password_reset"), {"email": author.email})
    assert len(mail.outbox) == 1
    found = re.search(r"http://127.0.0.1:8000(/\S+)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    author.refresh_from_db()
    assert author.check_password("a brand new passphrase")


def test_profile_and_preferences(client, author):
    client.force_login(author)
    client.post(
        reverse("accounts:profile"),
        {
            "real_name": "Jim H",
            "email": "jim@example.org",
            "website": "https://example.org",
            "bio": "<p onmouseover=x()>Hi <script>x()</script></p>",
        },
    )
    author.refresh_from_db()
    assert author.real_name == "Jim H" and author.bio == "<p>Hi </p>"
    client.post(
        reverse("accounts:preferences"),
        {
            "age_consent": "on",
            "theme": "dark",
            "text_size": "125",
            "default_sort": "title",
            "alerts": "off",
        },
    )
    author.refresh_from_db()
    assert (
        author.age_consent,
        author.theme,
        author.text_size,
        author.default_sort,
        author.alerts,
    ) == (True, "dark", 125, "title", "off")
    page = client.get(reverse("home")).content.decode()
    assert 'data-theme="dark"' in page


@pytest.mark.parametrize(
    ("website", "message"),
    [
        ("not a url", "Enter a valid URL."),
        *((bad, "starting with http:// or https://") for bad in BAD_WEBSITES[:4]),
        ("ftp://example.org/", "starting with http:// or https://"),
    ],
)
def test_profile_bad_website_keeps_typed_values(client, author, website, message):
    client.force_login(author)
    response = client.post(
        reverse("accounts:profile"),
        {
            "real_name": "Typed",
            "email": author.email,
            "website": website,
            "bio": "",
        },
    )
    assert message in response.content.decode()
    assert 'value="Typed"' in response.content.decode()
    author.refresh_from_db()
    assert author.real_name == ""


def test_profile_update_refuses_a_script_link(author):
    """The action holds the rule too, for callers that come without the form."""
    with pytest.raises(ActionRefused, match="http:// or https://"):
        actions.profile_update(
            user=author, real_name="", email="", bio="", website="javascript:alert(1)"
        )
    author.refresh_from_db()
    assert author.website == ""


def test_a_pen_name_in_fullwidth_letters_is_stored_as_login_reads_it(client):
    response = join(client, pen_name="Ｄｗｉｇｈｔ Ｓ")
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").pen_name == "Dwight S"
    for typed in ("Ｄｗｉｇｈｔ Ｓ", "dwight s"):
        logged = Client().post(reverse("accounts:login"), {"username": typed, "password": PASSWORD})
        assert logged.status_code == 302, typed


@pytest.mark.parametrize("hidden", ["\u200b", "\u200d", "\u202e", "\u2066", "\u00ad", "\ufeff"])
def test_look_alike_pen_names_are_refused(client, author, hidden):
    name = author.pen_name[:3] + hidden + author.pen_name[3:]
    response = join(client, pen_name=name)
    assert "cannot hold invisible characters" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("name", ["accounts:login", "accounts:password_reset"])
def test_auth_pages_keep_the_site_name(client, name):
    """Django's auth views put their own `site` in the context; the archive's settings must
    not be hidden by it (the title read "Log in — " and the header link was empty)."""
    set_site(site_name="Quill Archive")
    page = client.get(reverse(name)).content.decode()
    assert re.search(r"<title>[^<]+ — Quill Archive</title>", page)
    assert re.search(r'class="site-name"[^>]*>Quill Archive</a>', page)

"""Personal access tokens: made on the account page (named, scoped, shown once, stored hashed),
revoked there; a read token cannot write; the API is rate-limited per token and per address."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fabula.api.models import ApiToken
from fabula.api.tests.helpers import API, bearer, call
from fabula.lib import limits
from fabula.lib.ratelimit import Limit


def test_a_token_is_made_shown_once_stored_hashed_and_revoked(client, reader):
    client.force_login(reader)
    page = client.post(reverse("api-tokens"), {"name": "Backup script", "scope": "write"})
    found = re.search(r"fabt_[\w-]+", page.content.decode())
    assert found is not None
    token = found.group(0)
    row = ApiToken.objects.get(user=reader)
    assert (row.name, row.scope) == ("Backup script", "write")
    assert token not in (row.digest, row.lookup) and len(row.digest) == 64
    assert token not in client.get(reverse("api-tokens")).content.decode()  # shown once
    client.logout()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"{API}/me", **headers).json()["pen_name"] == "Reader"
    client.force_login(reader)
    client.post(reverse("api-tokens"), {"revoke": row.pk})
    client.logout()
    assert client.get(f"{API}/me", **headers).status_code == 401


@pytest.mark.parametrize(
    "form, message",
    [
        ({"name": "", "scope": "read"}, "Give the token a name"),
        ({"name": "x", "scope": "all"}, "scope"),
    ],
)
def test_a_bad_token_request_says_why_and_makes_nothing(client, reader, form, message):
    client.force_login(reader)
    page = client.post(reverse("api-tokens"), form, follow=True)
    assert message in page.content.decode()
    assert not ApiToken.objects.exists()


def test_the_password_is_not_a_token(client, reader):
    from fabula.test import PASSWORD

    response = client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {PASSWORD}")
    assert response.status_code == 401


def test_a_member_cannot_revoke_someone_elses_token(client, reader, author):
    bearer(author)
    client.force_login(reader)
    client.post(reverse("api-tokens"), {"revoke": ApiToken.objects.get().pk})
    assert ApiToken.objects.filter(user=author).exists()


def test_a_read_token_cannot_write(client, reader, author, make_story):
    story = make_story(author)
    response = call(client, "put", f"/me/favourites/stories/{story.pk}", bearer(reader))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "read" in response.json()["detail"]
    assert not reader.favourites.exists()


def test_writes_need_a_token(client, author, make_story):
    story = make_story(author)
    response = call(client, "post", f"/stories/{story.pk}/kudos", {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("who", ["guest", "token"])
def test_too_many_requests_are_429_with_retry_after(client, reader, monkeypatch, who):
    monkeypatch.setattr(limits, "API_PER_TOKEN", Limit("api-token", 3, 3600))
    monkeypatch.setattr(limits, "API_PER_ADDRESS", Limit("api-address", 3, 3600))
    headers = bearer(reader) if who == "token" else {}
    # Four different answers: a guest's answer kept in the cache is not counted again.
    codes = [client.get(f"{API}/taxonomy?fields={n}", **headers).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get(f"{API}/taxonomy?fields=again", **headers)
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["Content-Type"] == "application/problem+json"
    # A token's count is its own: another token (or the address) is not slowed by it.
    other = bearer(reader) if who == "guest" else {"REMOTE_ADDR": "10.0.0.9"}
    assert client.get(f"{API}/taxonomy", **other).status_code == 200


@pytest.mark.parametrize("hostile", ["²", "9" * 5000, "-1", "", "1 "])
def test_revoking_a_token_by_a_hostile_number_changes_nothing(client, reader, hostile):
    client.force_login(reader)
    client.post(reverse("api-tokens"), {"name": "Kept", "scope": "read"})
    page = client.post(reverse("api-tokens"), {"revoke": hostile}, follow=True)
    assert page.status_code == 200
    assert "You have no such token." in page.content.decode()
    assert ApiToken.objects.filter(user=reader).count() == 1

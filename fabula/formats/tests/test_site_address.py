"""Every absolute link in feeds, the OPDS catalog, a saved search's feed and the password-reset
mail starts with the configured site address, whatever host the request named (issue 17, the
feed/OPDS cache poisoning: a Host with another port, or an absolute-form target, used to end up
in every cached feed). The system check warns when the site address is not served."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from lxml import etree

from fabula.conf.checks import site_address_is_served
from fabula.search.models import SavedSearch
from fabula.test import set_site

SITE = "https://archive.example.org"

# How a client can name another host: a Host header with another port (ALLOWED_HOSTS does not
# look at ports), and absolute-form targets (the host comes from the target, RFC 9112 §3.2.2).
HOSTILE = [
    {"HTTP_HOST": "testserver:6666"},
    {"PATH_INFO": "http://testserver:6666{path}"},
    {"PATH_INFO": "http://localhost:1{path}"},
]


def hostile_get(client, path: str, way: dict[str, str]):
    extra = {name: value.format(path=path) for name, value in way.items()}
    return client.get(path, **extra)


def absolute_links(content: bytes) -> list[str]:
    """Every address the reader's app would follow: href and OpenSearch template attributes."""
    root = etree.fromstring(content)
    return [
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if name in {"href", "template"} and value.startswith("http")
    ]


@pytest.fixture
def story(make_story, author, db):
    set_site(site_url=SITE)
    return make_story(author, title="Links Home")


def feed_paths(story) -> list[str]:
    return [
        reverse("feed-recent"),
        reverse("feed-story", args=[story.pk]),
        reverse("opds-root"),
        reverse("opds-opensearch"),
        reverse("opds-recent"),
    ]


@pytest.mark.parametrize("way", HOSTILE, ids=["port", "absolute-port", "absolute-host"])
def test_feeds_and_opds_link_to_the_site_address_whatever_host_is_asked(client, story, way):
    for path in feed_paths(story):
        poisoned = hostile_get(client, path, way)
        assert poisoned.status_code == 200, (path, poisoned.status_code)
        # The hostile request filled the guest cache; an ordinary reader gets the same links.
        honest = client.get(path)
        for response in (poisoned, honest):
            found = absolute_links(response.content)
            assert found, path
            assert all(link.startswith(SITE + "/") for link in found), (path, found)


def test_a_saved_search_feed_links_to_the_site_address(client, story, reader):
    saved = SavedSearch.objects.create(user=reader, name="x", query_string="q=links")
    response = hostile_get(client, saved.feed_url(), HOSTILE[1])
    assert response.status_code == 200
    found = absolute_links(response.content)
    assert found and all(link.startswith(SITE + "/") for link in found), found


def test_the_password_reset_mail_links_to_the_site_address(client, story, author):
    hostile_get(client, reverse("accounts:password_reset"), HOSTILE[0])
    response = client.post(
        reverse("accounts:password_reset"), {"email": author.email}, HTTP_HOST="testserver:6666"
    )
    assert response.status_code == 302
    body = str(mail.outbox[0].body)
    assert re.findall(r"https?://[^/\s]+", body) == [SITE]
    assert "6666" not in body and "6666" not in mail.outbox[0].subject


def test_the_app_password_page_names_the_site_address(client, story, reader):
    client.force_login(reader)
    page = client.get(reverse("app-passwords"), HTTP_HOST="testserver:6666").content.decode()
    assert SITE + reverse("opds-root") in page and "6666" not in page


@pytest.mark.parametrize(
    "allowed, warned",
    [
        (["archive.example.org"], False),
        ([".example.org"], False),
        (["*"], False),
        (["127.0.0.1", "localhost"], True),
        ([], True),
    ],
)
def test_the_system_check_warns_when_the_site_address_is_not_served(
    story, settings, allowed, warned
):
    settings.ALLOWED_HOSTS = allowed
    messages = site_address_is_served()
    assert [m.id for m in messages] == (["fabula.W001"] if warned else [])
    if warned:
        assert "archive.example.org" in messages[0].msg


def test_the_check_reads_an_ipv6_site_address(db, settings):
    set_site(site_url="http://[::1]:8000")
    settings.ALLOWED_HOSTS = ["[::1]"]
    assert site_address_is_served() == []
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert [m.id for m in site_address_is_served()] == ["fabula.W001"]

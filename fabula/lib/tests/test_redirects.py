import pytest
from django.test import RequestFactory

from fabula.lib.redirects import next_url


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/stories/3/", "/stories/3/"),
        ("/moderation/?page=2", "/moderation/?page=2"),
        ("", "/fallback/"),
        ("https://elsewhere.example/", "/fallback/"),
        ("//elsewhere.example/", "/fallback/"),
        ("/\\elsewhere.example/", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
    ],
)
def test_a_next_field_is_followed_only_on_this_site(target, expected):
    request = RequestFactory().post("/", {"next": target})
    assert next_url(request, "/fallback/") == expected


def test_a_next_in_the_address_counts_when_the_form_has_none():
    request = RequestFactory().get("/", {"next": "/recent/"})
    assert next_url(request, "/fallback/") == "/recent/"

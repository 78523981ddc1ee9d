"""Pages for what goes wrong: a link to an address that takes a form (405), a refused form
(CSRF), and the favicon every browser asks for."""

import pytest
from django.test import Client
from django.urls import reverse

from fabula.test import set_site

pytestmark = pytest.mark.django_db


def test_get_logout_answers_405_with_a_page_and_a_button(client, reader):
    set_site(site_name="Quill Archive")
    client.force_login(reader)
    response = client.get(reverse("accounts:logout"), HTTP_ACCEPT="text/html,*/*;q=0.8")
    page = response.content.decode()
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "<title>Not this way — Quill Archive</title>" in page
    assert f'<form method="post" action="{reverse("accounts:logout")}">' in page
    assert client.get(reverse("home")).wsgi_request.user.is_authenticated  # still logged in
    # A machine (no HTML accepted) keeps the bare answer.
    assert client.get(reverse("accounts:logout"), HTTP_ACCEPT="application/json").content == b""


def test_a_form_without_its_token_gets_the_sites_page(reader):
    set_site(site_name="Quill Archive")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    response = browser.post(reverse("accounts:logout"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "The form could not be sent" in page and "Quill Archive" in page
    assert "Nothing was changed" in page


def test_the_favicon_is_linked_and_answered(client):
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/fabula/favicon.svg"' in page
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"] == "/static/fabula/favicon.svg"
    assert client.get("/static/fabula/favicon.svg").status_code == 200

"""The site's own pages (about, rules, FAQ, terms): written by staff in the admin, cleaned,
shown at /pages/<slug>/ and linked from every page's footer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.lib.refusals import ActionRefused
from fabula.news import actions
from fabula.news.models import Page, Post


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_a_published_page_is_shown_and_linked_in_every_footer(client, admin_user):
    about = actions.page_save(
        slug="about",
        title="About us",
        body='<p>We <em>love</em> stories.</p><img src=x onerror="alert(1)">',
        by=admin_user,
    )
    rules = actions.page_save(
        slug="rules", title="House rules", body="<p>Be kind.</p>", position=1, by=admin_user
    )
    page = _page(client, reverse("news:page", args=["about"]))
    assert "<em>love</em>" in page and "onerror" not in page
    for url in (reverse("home"), reverse("browse"), reverse("search:results")):
        footer = _page(client, url).split('<footer class="site-footer">')[1]
        assert f'href="{about.get_absolute_url()}">About us<' in footer
        assert footer.index("About us") < footer.index("House rules")
        assert f'href="{rules.get_absolute_url()}"' in footer


def test_unpublished_pages_are_for_staff_only(client, admin_user, reader):
    actions.page_save(
        slug="faq", title="Questions", body="<p>Soon.</p>", published=False, by=admin_user
    )
    url = reverse("news:page", args=["faq"])
    _page(client, url, status=404)
    assert "Questions" not in _page(client, reverse("home"))
    client.force_login(reader)
    _page(client, url, status=404)
    client.force_login(admin_user)
    assert "Not published" in _page(client, url)


def test_an_edited_page_shows_in_the_footer_at_once(client, admin_user):
    terms = actions.page_save(slug="terms", title="Terms", body="<p>1.</p>", by=admin_user)
    assert ">Terms<" in _page(client, reverse("home"))  # footer list and page now cached
    actions.page_save(
        page=terms, slug="terms", title="Terms of use", body="<p>1.</p>", by=admin_user
    )
    assert ">Terms of use<" in _page(client, reverse("home"))
    actions.page_save(
        page=terms,
        slug="terms",
        title="Terms of use",
        body="<p>1.</p>",
        in_footer=False,
        by=admin_user,
    )
    assert "Terms of use" not in _page(client, reverse("home"))


@pytest.mark.parametrize(
    ("slug", "title", "message"),
    [
        ("about", "Another", "already a page at /pages/about/"),
        ("", "Nameless", "address"),
        ("x", " ", "title"),
    ],
)
def test_bad_pages_are_refused_and_nothing_changes(admin_user, slug, title, message):
    actions.page_save(slug="about", title="About", body="<p>.</p>", by=admin_user)
    with pytest.raises(ActionRefused, match=message):
        actions.page_save(slug=slug, title=title, body="<p>Other.</p>", by=admin_user)
    assert list(Page.objects.values_list("slug", "title")) == [("about", "About")]


def test_staff_write_news_and_pages_in_the_admin_through_the_actions(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:news_page_add"),
        {
            "title": "Rules",
            "slug": "rules",
            "body": "<p>Ok</p><script>x()</script>",
            "published": "on",
            "in_footer": "on",
            "position": "0",
        },
    )
    assert response.status_code == 302
    assert Page.objects.get(slug="rules").body == "<p>Ok</p>"
    response = client.post(
        reverse("admin:news_post_add"),
        {
            "title": "Hello",
            "body": "<p>Hi</p><script>x()</script>",
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
            "comments_open": "on",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.body == "<p>Hi</p>" and post.author == admin_user
    assert "Hello" in _page(client, reverse("news:posts"))

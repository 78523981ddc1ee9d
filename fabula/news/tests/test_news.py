"""News posts: staff write them (drafts and scheduled posts stay theirs until published),
members comment within a rate limit, everyone reads them on the home page, the news pages and
the Atom feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fabula.audit.models import AuditEntry
from fabula.formats.tests.atomcheck import check_atom, entries, titles
from fabula.lib import limits
from fabula.lib.refusals import ActionRefused
from fabula.news import actions
from fabula.news.models import Comment, Post
from fabula.test import set_site


@pytest.fixture
def staff(admin_user):
    return admin_user


@pytest.fixture
def news(staff):
    """A published post, a draft and a scheduled one."""
    now = timezone.now()
    return {
        "published": actions.post_save(
            title="Archive opens",
            body="<p>Welcome <strong>all</strong>.</p><script>alert(1)</script>",
            published_at=now - timedelta(hours=1),
            by=staff,
        ),
        "draft": actions.post_save(
            title="Secret plans", body="<p>Not yet.</p>", published_at=None, by=staff
        ),
        "scheduled": actions.post_save(
            title="Tomorrow's news",
            body="<p>Later.</p>",
            published_at=now + timedelta(days=1),
            by=staff,
        ),
    }


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("who", ["guest", "member"])
def test_only_published_news_is_shown_to_readers(client, news, reader, who):
    if who == "member":
        client.force_login(reader)
    for url in (reverse("home"), reverse("news:posts")):
        page = _page(client, url)
        assert "Archive opens" in page
        assert "Secret plans" not in page and "Tomorrow&#x27;s news" not in page
    for hidden in (news["draft"], news["scheduled"]):
        _page(client, hidden.get_absolute_url(), status=404)
    assert "Welcome" in _page(client, news["published"].get_absolute_url())


def test_staff_see_drafts_and_scheduled_posts_marked_as_such(client, news, staff):
    client.force_login(staff)
    listing = _page(client, reverse("news:posts"))
    assert "Secret plans" in listing and "Tomorrow&#x27;s news" in listing
    draft = _page(client, news["draft"].get_absolute_url())
    assert "Not published" in draft
    # The home page is what every reader sees: no drafts there, even for staff.
    assert "Secret plans" not in _page(client, reverse("home"))


def test_post_bodies_are_cleaned_and_writes_are_audited(news, staff):
    post = news["published"]
    assert "<strong>all</strong>" in post.body and "<script>" not in post.body
    assert AuditEntry.objects.filter(
        action="save news post", target_type="post", target_id=post.pk
    ).exists()


def test_a_post_needs_a_title(staff):
    with pytest.raises(ActionRefused, match="title"):
        actions.post_save(title="  ", body="<p>x</p>", published_at=None, by=staff)
    assert not Post.objects.exists()


def test_the_home_page_shows_the_latest_few(client, staff):
    start = timezone.now() - timedelta(days=10)
    for n in range(5):
        actions.post_save(
            title=f"Post number {n}",
            body="<p>.</p>",
            published_at=start + timedelta(days=n),
            by=staff,
        )
    home = _page(client, reverse("home"))
    assert [f"Post number {n}" in home for n in range(5)] == [False, False, True, True, True]
    assert home.index("Post number 4") < home.index("Post number 2")  # newest first
    assert reverse("news:posts") in home


def test_a_new_post_shows_on_a_cached_home_page_at_once(client, staff):
    assert "Fresh news" not in _page(client, reverse("home"))  # now in the guest page cache
    actions.post_save(title="Fresh news", body="<p>.</p>", published_at=timezone.now(), by=staff)
    assert "Fresh news" in _page(client, reverse("home"))


# ---------------------------------------------------------------------------------------------
# Comments


def _comment(client, post, body: str):
    return client.post(reverse("news:comment", args=[post.pk]), {"body": body})


def test_a_member_comments_under_a_post(client, news, reader):
    post = news["published"]
    client.force_login(reader)
    response = _comment(client, post, "Congratulations <b>everyone</b>!")
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    page = _page(client, post.get_absolute_url())
    # Plain text: what was typed, escaped, never markup.
    assert "Congratulations &lt;b&gt;everyone&lt;/b&gt;!" in page and "Reader" in page
    assert "1 comment" in _page(client, reverse("news:posts"))


def test_a_guest_is_sent_to_log_in_and_nothing_is_posted(client, news):
    post = news["published"]
    response = _comment(client, post, "Hello")
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert "Log in</a> to comment" in _page(client, post.get_absolute_url())
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("   ", 400, "Write something first."),
        ("x" * 5001, 400, "at most 5,000 characters"),
    ],
)
def test_bad_comments_are_refused_and_the_text_is_kept(client, news, reader, body, status, message):
    client.force_login(reader)
    response = _comment(client, news["published"], body)
    page = response.content.decode()
    assert response.status_code == status and message in page
    assert not Comment.objects.exists()


def test_comments_on_drafts_and_closed_posts_are_refused(client, news, reader, staff):
    client.force_login(reader)
    assert _comment(client, news["draft"], "Early!").status_code == 404
    closed = actions.post_save(
        title="Closed",
        body="<p>.</p>",
        published_at=timezone.now(),
        comments_open=False,
        by=staff,
    )
    response = _comment(client, closed, "Let me in")
    assert response.status_code == 403 and "closed" in response.content.decode()
    assert "Comments are closed." in _page(client, closed.get_absolute_url())
    assert not Comment.objects.exists()


def test_comments_are_rate_limited(client, news, reader, clock):
    client.force_login(reader)
    post = news["published"]
    for n in range(limits.NEWS_COMMENTS.attempts):
        assert _comment(client, post, f"Comment {n}").status_code == 302
    response = _comment(client, post, "One too many")
    page = response.content.decode()
    assert response.status_code == 429 and "Too many comments" in page
    assert "One too many" in page  # kept in the box to post later
    assert Comment.objects.count() == limits.NEWS_COMMENTS.attempts


def test_hidden_comments_are_not_shown(client, news, reader, staff):
    comment = actions.comment_post(post=news["published"], user=reader, body="Rude words")
    actions.comment_hide(comment=comment, by=staff)
    page = _page(client, news["published"].get_absolute_url())
    assert "Rude words" not in page and "No comments yet." in page


# ---------------------------------------------------------------------------------------------
# The feed


def test_the_news_feed_is_valid_atom_with_published_posts_only(client, news):
    set_site(site_url="https://archive.example.org")
    response = client.get(reverse("feed-news"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = check_atom(response.content)
    assert titles(root) == ["Archive opens"]
    (entry,) = entries(root)
    post = news["published"]
    assert entry.findtext("{http://www.w3.org/2005/Atom}id") == (
        "https://archive.example.org" + post.get_absolute_url()
    )
    assert b"testserver" not in response.content  # the site address, not the request's host
    assert b"&lt;strong&gt;all&lt;/strong&gt;" in response.content  # the whole text, as HTML


def test_the_news_feed_is_linked_from_the_news_page(client, news):
    page = _page(client, reverse("news:posts"))
    assert f'type="application/atom+xml" title="Fabula: news" href="{reverse("feed-news")}"' in page

"""Reviews: posting, rating, threads, editing, deleting, guests, spam guards, alerts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse

from fabula.community import actions
from fabula.community.models import Review
from fabula.lib.refusals import ActionRefused, NotAllowed, RateLimited
from fabula.notifications.models import Notification
from fabula.test import chapter_url, set_site

GUEST = AnonymousUser()


@pytest.fixture
def story(make_story, author):
    return make_story(author, "Reviewed", chapters=2)


def chapter_of(story, n=1):
    return story.chapters.get(position=n)


def test_a_review_counts_on_story_and_chapter_with_the_mean_rating(story, reader, other_author):
    chapter = chapter_of(story)
    actions.review_post(chapter=chapter, user=reader, body="Loved it", rating=10)
    actions.review_post(chapter=chapter, user=other_author, body="", rating=5)  # rating only
    story.refresh_from_db()
    chapter.refresh_from_db()
    assert (story.review_count, chapter.review_count) == (1, 1)  # rating-only does not count
    assert story.rating_average == chapter.rating_average == 8  # round(7.5) on the 1-10 scale
    assert chapter_of(story, 2).review_count == 0


def test_like_dislike_scale_stores_the_share_of_likes(story, reader, other_author, moderator):
    set_site(review_ratings="like")
    actions.review_post(story=story, user=reader, body="Yes", rating=1)
    actions.review_post(story=story, user=other_author, body="No", rating=0)
    actions.review_post(story=story, user=moderator, body="Yes!", rating=1)
    story.refresh_from_db()
    assert story.rating_average == 67
    with pytest.raises(ActionRefused, match="like"):
        actions.review_post(story=story, user=reader, body="x", rating=7)


def test_bad_input_is_refused_with_a_reason(story, reader, author):
    with pytest.raises(ActionRefused, match="few words"):
        actions.review_post(story=story, user=reader, body="   ")
    with pytest.raises(ActionRefused, match="1 to 10"):
        actions.review_post(story=story, user=reader, body="x", rating=11)
    with pytest.raises(NotAllowed):
        actions.review_post(story=story, user=author, body="My own story is great")
    set_site(review_ratings="none")
    with pytest.raises(ActionRefused, match="ratings"):
        actions.review_post(story=story, user=reader, body="x", rating=4)


def test_review_html_is_sanitised_and_plain_text_becomes_paragraphs(story, reader):
    review = actions.review_post(
        story=story, user=reader, body='<p onclick="x()">Hi<script>bad()</script></p>'
    )
    assert "script" not in review.body and "onclick" not in review.body
    plain = actions.review_post(story=story, user=reader, body="One.\n\nTwo <b>", ip="1")
    assert plain.body == "<p>One.</p>\n<p>Two &lt;b&gt;</p>"


def test_closed_reviews_and_guests(story, reader):
    with pytest.raises(NotAllowed):  # anonymous reviews are off by default
        actions.review_post(story=story, user=GUEST, name="Visitor", body="Hello", ip="10.0.0.1")
    set_site(anonymous_reviews=True)
    with pytest.raises(ActionRefused, match="name"):
        actions.review_post(story=story, user=GUEST, name="", body="Hello", ip="10.0.0.1")
    review = actions.review_post(
        story=story, user=GUEST, name="Visitor", body="Hello", ip="10.0.0.1"
    )
    assert review.user is None and review.name == "Visitor"
    set_site(reviews_allowed=False)
    with pytest.raises(NotAllowed):
        actions.review_post(story=story, user=reader, body="Hello")


def test_guest_reviews_are_rate_limited_and_the_honeypot_catches_robots(client, story):
    set_site(anonymous_reviews=True)
    url = reverse("community:review-new", args=[story.pk])
    response = client.post(
        url, {"name": "Bot", "body": "Buy pills", "website": "http://spam.example"}
    )
    assert response.status_code == 400
    assert Review.objects.count() == 0
    for n in range(3):
        response = client.post(url, {"name": "Guest", "body": f"Nice {n}", "website": ""})
        assert response.status_code == 200 and "your review is posted" in response.content.decode()
    response = client.post(url, {"name": "Guest", "body": "Once more", "website": ""})
    assert response.status_code == 429
    assert Review.objects.count() == 3
    # The thank-you is on its own page, never in a cached story page other guests get.
    page = client.get(reverse("story", args=[story.pk])).content.decode()
    assert "Nice 2" in page and "your review is posted" not in page


def test_member_reviews_are_rate_limited(story, reader):
    for n in range(5):
        actions.review_post(story=story, user=reader, body=f"Review {n}")
    with pytest.raises(RateLimited):
        actions.review_post(story=story, user=reader, body="Review 6")


def is_spam(*, name, body, ip, user):
    return "casino" in body


def test_the_spam_check_hook_is_called_for_guests(story, settings):
    settings.FABULA_SPAM_CHECK = "fabula.community.tests.test_reviews.is_spam"
    set_site(anonymous_reviews=True)
    with pytest.raises(ActionRefused, match="spam"):
        actions.review_post(story=story, user=GUEST, name="X", body="Best casino", ip="1.2.3.4")
    assert actions.review_post(story=story, user=GUEST, name="X", body="Good story", ip="1.2.3.4")


def test_author_reply_is_marked_and_the_reviewer_is_alerted(story, reader, author, coauthor):
    review = actions.review_post(chapter=chapter_of(story), user=reader, body="More please")
    assert Notification.objects.get(user=author).kind == "review"
    mail.outbox.clear()
    reply = actions.review_reply(parent=review, user=author, body="Soon!")
    assert reply.by_author and reply.parent == review and reply.chapter == review.chapter
    alert = Notification.objects.get(user=reader)
    assert alert.kind == "reply" and alert.url.endswith(f"#review-{review.pk}")
    assert "(author)" in alert.text
    story.refresh_from_db()
    assert story.review_count == 1  # replies are not reviews


def test_the_review_page_shows_threads(client, story, reader, author):
    review = actions.review_post(chapter=chapter_of(story), user=reader, body="A thoughtful review")
    actions.review_reply(parent=review, user=author, body="Thank you kindly")
    page = client.get(chapter_url(story.pk, 1)).content.decode()
    assert "A thoughtful review" in page and "Thank you kindly" in page
    assert f'id="review-{review.pk}"' in page and "author-reply" in page
    listing = client.get(reverse("community:story-reviews", args=[story.pk])).content.decode()
    assert "A thoughtful review" in listing


def test_edit_and_delete_by_writer_author_and_moderator(
    story, reader, author, other_author, moderator
):
    review = actions.review_post(chapter=chapter_of(story), user=reader, body="First", rating=4)
    actions.review_edit(review=review, user=reader, body="Second", rating=8)
    review.refresh_from_db()
    assert review.body == "<p>Second</p>" and review.rating == 8
    story.refresh_from_db()
    assert story.rating_average == 8
    with pytest.raises(NotAllowed):
        actions.review_edit(review=review, user=author, body="Nope")
    with pytest.raises(NotAllowed):
        actions.review_delete(review=review, user=author)  # the site does not allow it by default
    set_site(authors_delete_reviews=True)
    with pytest.raises(NotAllowed):
        actions.review_delete(review=review, user=other_author)
    actions.review_delete(review=review, user=author)
    story.refresh_from_db()
    assert story.review_count == 0 and story.rating_average is None
    second = actions.review_post(story=story, user=reader, body="Again")
    actions.review_delete(review=second, user=moderator)
    assert not Review.objects.exists()


def test_a_series_is_reviewed_on_its_own_pages(client, author, reader):
    from fabula.stories import actions as stories

    series = stories.series_create(owner=author, title="Seasons")
    page = reverse("community:series-reviews", args=[series.pk])
    new = reverse("community:series-review-new", args=[series.pk])
    assert f'href="{page}"' in client.get(reverse("series", args=[series.pk])).content.decode()
    # Guests are sent to log in (anonymous reviews are off), and nothing is posted.
    assert "/accounts/login/" in client.post(new, {"body": "Hi"})["Location"]
    client.force_login(reader)
    assert client.get(new).status_code == 200
    assert client.post(new, {"body": ""}).status_code == 400  # no words, no rating
    response = client.post(new, {"body": "A fine <script>x()</script>cycle."})
    review = Review.objects.get(series=series)
    assert response["Location"] == f"{page}#review-{review.pk}"
    body = client.get(page).content.decode()
    assert "A fine" in body and "<script>x()" not in body
    # The owner answers rather than reviews.
    client.force_login(author)
    assert client.post(new, {"body": "Mine"}).status_code == 403
    with pytest.raises(NotAllowed):
        actions.review_post(series=series, user=author, body="Mine")
    set_site(reviews_allowed=False)
    client.force_login(reader)
    assert client.post(new, {"body": "Again"}).status_code == 403
    assert Review.objects.filter(series=series).count() == 1


def test_a_refused_review_is_said_beside_its_field_and_keeps_what_was_typed(client, story, reader):
    """An empty review (refused by the action) and a guest's review without a name (by the
    form): the form comes back with the error beside its field, named in the control's
    aria-describedby, and nothing is saved."""
    url = reverse("community:review-new", args=[story.pk])
    client.force_login(reader)
    response = client.post(url, {"body": "  "})
    page = response.content.decode()
    assert response.status_code == 400 and Review.objects.count() == 0
    assert (
        '<ul class="errorlist" id="id_body_error"><li>Write a few words, or give a rating.' in page
    )
    assert 'aria-describedby="id_body_error"' in page and 'aria-invalid="true"' in page

    client.logout()
    set_site(anonymous_reviews=True)
    response = client.post(url, {"name": "", "body": "Kept as typed.", "website": ""})
    page = response.content.decode()
    assert response.status_code == 400 and Review.objects.count() == 0
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.' in page
    assert "Kept as typed." in page

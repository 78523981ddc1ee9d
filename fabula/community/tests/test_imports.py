"""The import actions: reviews, favourites, subscriptions and kudos written as another archive had
them (ids and dates kept, no checks, no alerts), and the counts recomputed afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

from fabula.community import actions
from fabula.community.models import Favourite, Kudos, Review, Subscription
from fabula.notifications.models import Notification

WHEN = datetime(2007, 5, 29, 21, 14, tzinfo=UTC)


def _review(story, **values) -> dict:
    return {
        "review_id": None,
        "story_id": story.pk,
        "chapter_id": None,
        "series_id": None,
        "user_id": None,
        "name": "Guest",
        "body": "Nice.",
        "rating": None,
        "by_author": False,
        "created_at": WHEN,
        **values,
    }


def test_reviews_import_keeps_ids_and_dates_and_recount_counts_as_efiction(
    make_story, author, reader
):
    story = make_story(author, "Reviewed", chapters=1)
    chapter = story.chapters.get()
    rows = actions.reviews_import(
        reviews=[
            _review(story, review_id=4242, chapter_id=chapter.pk, user_id=reader.pk, rating=7),
            _review(story, review_id=4243, body="", rating=8),  # rating only: not counted
            _review(story, review_id=4244, body="<script>x</script>Hidden", hidden=True),
        ]
    )
    assert [row.pk for row in rows] == [4242, 4243, 4244]
    kept = Review.objects.get(pk=4242)
    assert kept.created_at == WHEN and kept.chapter_id == chapter.pk
    assert "<script>" not in Review.objects.get(pk=4244).body
    (reply,) = actions.reviews_import(
        reviews=[
            _review(
                story,
                review_id=4245,
                chapter_id=chapter.pk,
                parent_id=kept.pk,
                user_id=author.pk,
                name=author.pen_name,
                body="Thanks!",
                by_author=True,
            )
        ]
    )
    assert kept.replies.get() == reply and reply.by_author
    actions.reviews_recount(story_ids=[story.pk])
    story.refresh_from_db()
    chapter.refresh_from_db()
    assert (story.review_count, story.rating_average) == (1, 8)  # eFiction rounds 7.5 up
    assert (chapter.review_count, chapter.rating_average) == (1, 7)
    assert not Notification.objects.exists()


def test_favourites_subscriptions_and_kudos_import_once_and_recount(make_story, author, reader):
    story = make_story(author, "Liked", chapters=1)
    for _ in range(2):  # a second import of the same rows changes nothing
        actions.favourite_import(
            user_id=reader.pk, story_id=story.pk, note="Lovely", created_at=WHEN
        )
        actions.favourite_import(user_id=reader.pk, author_id=author.pk, public=False)
        actions.subscription_import(user_id=reader.pk, story_id=story.pk, created_at=WHEN)
        actions.kudos_import(story_id=story.pk, user_id=reader.pk, created_at=WHEN)
        actions.kudos_import(story_id=story.pk, user_id=None, guest="abc")
    assert Favourite.objects.get(story=story).note == "<p>Lovely</p>"  # as the form stores it
    assert not Favourite.objects.get(author=author).public
    assert Subscription.objects.get().created_at == WHEN
    assert Kudos.objects.count() == 2
    actions.favourites_recount(story_ids=[story.pk])
    story.refresh_from_db()
    assert (story.favourite_count, story.kudos_count) == (1, 2)

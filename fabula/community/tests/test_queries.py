"""A story with 500 reviews and 10,000 kudos costs the same handful of queries as one with a
single review: pages show the newest reviews and stored counts, never everything."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from fabula.community import actions
from fabula.community.models import Kudos, Review
from fabula.stories.models import Story
from fabula.test import chapter_url, quick_user, warm_caches

# What the pages cost (the story's own queries, the reviews and their replies; for a member
# also the session, the member, the unread count on the bell of the header, and one query for
# their kudos/favourite/follow/reading state). The story page has two more: its gifts, and its
# related works both ways (`stories.permissions.story_links`). A member's pages have one more
# than a guest's beyond those: the credits with their members, for `is_author` (a guest's pages
# read the byline's names, and the story header keeps its own copy: `selectors.story_header`).
STORY_PAGE_GUEST, STORY_PAGE_MEMBER = 11, 15
CHAPTER_PAGE_GUEST, CHAPTER_PAGE_MEMBER = 6, 10


def pile_on(story, reviewers, *, reviews: int, kudos: int) -> None:
    """Reviews (every tenth with an author's reply) and guest kudos, written in bulk."""
    chapter = story.chapters.get(position=1)
    now = timezone.now()
    Review.objects.bulk_create(
        Review(
            story=story,
            chapter=chapter,
            user=reviewers[n % len(reviewers)],
            name=reviewers[n % len(reviewers)].pen_name,
            body=f"<p>Review {n}</p>",
            rating=1 + n % 10,
            created_at=now,
            updated_at=now,
        )
        for n in range(reviews)
    )
    author = story.credits.first().user
    Review.objects.bulk_create(
        Review(
            story=story,
            chapter=chapter,
            parent=parent,
            user=author,
            name=author.pen_name,
            body="<p>Thanks!</p>",
            by_author=True,
            created_at=now,
            updated_at=now,
        )
        for parent in Review.objects.filter(story=story).order_by("-pk")[: reviews // 10]
    )
    Kudos.objects.bulk_create(Kudos(story=story, guest=f"g{n}") for n in range(kudos))
    actions.recount_reviews(story=story, chapter=chapter)
    Story.objects.filter(pk=story.pk).update(kudos_count=Kudos.objects.filter(story=story).count())


def measure(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


@pytest.mark.parametrize("as_member", [False, True], ids=["guest", "member"])
def test_story_and_chapter_pages_are_bounded(
    client, make_story, author, reader, settings, django_assert_max_num_queries, as_member
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the render, not the cache
    reviewers = [quick_user(f"Reviewer {n}") for n in range(20)]
    small = make_story(author, "Small", chapters=3)
    big = make_story(author, "Big", chapters=3)
    pile_on(small, reviewers, reviews=1, kudos=1)
    pile_on(big, reviewers, reviews=500, kudos=10_000)
    big.refresh_from_db()
    assert (big.review_count, big.kudos_count) == (500, 10_000)
    if as_member:
        client.force_login(reader)
        actions.reading_save_position(user=reader, chapter=big.chapters.first(), position=0.5)
    warm_caches()  # cached from here on, as on a running site

    story_limit = STORY_PAGE_MEMBER if as_member else STORY_PAGE_GUEST
    chapter_limit = CHAPTER_PAGE_MEMBER if as_member else CHAPTER_PAGE_GUEST
    few, _ = measure(
        client, reverse("story", args=[small.pk]), django_assert_max_num_queries, story_limit
    )
    many, page = measure(
        client, reverse("story", args=[big.pk]), django_assert_max_num_queries, story_limit
    )
    assert many == few
    assert "10000 kudos" in page and "All 500 reviews" in page and "Review 499" in page
    few, _ = measure(client, chapter_url(small.pk, 1), django_assert_max_num_queries, chapter_limit)
    many, page = measure(
        client, chapter_url(big.pk, 1), django_assert_max_num_queries, chapter_limit
    )
    assert many == few
    assert "Review 499" in page and "Review 0<" not in page  # the newest 20, not all 500
    assert page.count("Thanks!") == 20  # the replies of the reviews shown
    measure(
        client,
        reverse("community:story-reviews", args=[big.pk]),
        django_assert_max_num_queries,
        story_limit,
    )

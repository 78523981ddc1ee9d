"""Top lists and statistics: right figures, computed once and then served from the cache."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from fabula.community import actions
from fabula.community.toplists import compute_stats
from fabula.stories import actions as story_actions


def test_top_lists_and_stats(
    client, make_story, author, other_author, reader, django_assert_max_num_queries
):
    long_story = make_story(author, "Long One", words_per_chapter=500)
    short = make_story(other_author, "Short One", words_per_chapter=10)
    make_story(author, "Hidden Draft", status="draft", words_per_chapter=5000)
    actions.kudos_give(story=short, user=reader)
    actions.favourite_add(user=reader, target=long_story)
    actions.favourite_add(user=reader, target=author)
    actions.review_post(story=short, user=reader, body="Nice")
    page = client.get(reverse("community:toplists")).content.decode()
    assert "Hidden Draft" not in page
    assert "Night Swept" in page and "Reader" in page
    with django_assert_max_num_queries(1):  # from the cache now (the session lookup at most)
        longest = client.get(reverse("community:toplist", args=["longest"])).content.decode()
    assert longest.index("Long One") < longest.index("Short One")
    assert "Most reviewed" not in longest
    assert client.get(reverse("community:toplist", args=["nonsense"])).status_code == 404
    stats = client.get(reverse("community:stats")).content.decode()
    assert "<dt>Stories</dt><dd>2</dd>" in stats and "<dt>Reviews</dt><dd>1</dd>" in stats


def test_statistics_count_only_what_a_guest_may_read(make_story, author, reader, archive):
    public = make_story(author, "Public", chapters=1)
    story_actions.chapter_add(
        story=public, title="Soon", body="<p>soon</p>", release_at=timezone.now() + timedelta(1)
    )
    members_only = make_story(author, "Members", chapters=1, rating=archive.members_only)
    hidden_series = story_actions.series_create(owner=author, title="Of members only")
    story_actions.series_add(series=hidden_series, story=members_only)
    listed_series = story_actions.series_create(owner=author, title="Open to all")
    story_actions.series_add(series=listed_series, story=public)
    actions.review_post(story=members_only, user=reader, body="Hidden from guests")
    actions.review_post(story=public, user=reader, body="Seen by all")
    stats = compute_stats()
    assert stats["stories"] == 1
    assert stats["chapters"] == 1  # not the scheduled one
    assert stats["series"] == 1
    assert stats["reviews"] == 1

"""The reads that follow the site's other pages: challenges and their responses, reviews as
threads, the recent and top lists. Each answers what its page shows a guest, from the page's own
query functions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from fabula.api.tests.helpers import API, bearer
from fabula.community import actions as community
from fabula.community import toplists
from fabula.community.models import Review
from fabula.stories import actions
from fabula.stories.listing.pages import RECENT_SORT, order_stories
from fabula.stories.models import Status, Story
from fabula.stories.permissions import listed_stories


def test_a_challenge_counts_and_lists_only_responses_a_guest_may_see(
    client, archive, author, reader, make_story
):
    challenge = actions.challenge_create(title="Winter Prompt", owner=author, summary="Snow.")
    shown = make_story(author, "Snowfall", challenges=[challenge])
    make_story(author, "Draft Snow", status=Status.DRAFT, challenges=[challenge])
    members = make_story(author, "Members Snow", rating=archive.members_only)
    members.challenges.set([challenge])
    listed = client.get(f"{API}/challenges").json()
    assert [(c["title"], c["response_count"]) for c in listed["results"]] == [("Winter Prompt", 1)]
    one = client.get(f"{API}/challenges/{challenge.pk}").json()
    assert one["challenger"] == "Night Swept"
    assert one["owner"] == {"id": author.pk, "name": "Night Swept"}
    responses = client.get(f"{API}/challenges/{challenge.pk}/responses").json()
    assert [s["id"] for s in responses["results"]] == [shown.pk]
    as_member = client.get(f"{API}/challenges/{challenge.pk}/responses", **bearer(reader)).json()
    assert {s["id"] for s in as_member["results"]} == {shown.pk, members.pk}
    missing = client.get(f"{API}/challenges/{challenge.pk + 1000}")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_reviews_come_as_threads_without_hidden_ones(client, archive, author, reader, make_story):
    story = make_story(author, "Threads", chapters=2)
    second = story.chapters.get(position=2)
    review = community.review_post(
        story=None, chapter=second, user=reader, body="Lovely", rating=None, ip="10.0.0.1"
    )
    reply = community.review_reply(parent=review, user=author, body="Thank you")
    hidden = community.review_post(
        story=story, chapter=None, user=reader, body="Rude words", rating=None, ip="10.0.0.1"
    )
    Review.objects.filter(pk=hidden.pk).update(hidden=True)
    data = client.get(f"{API}/stories/{story.pk}/reviews").json()
    assert data["count"] == 1
    (thread,) = data["results"]
    assert (thread["id"], thread["body"], thread["chapter_position"]) == (
        review.pk,
        "<p>Lovely</p>",
        2,
    )
    assert thread["chapter_id"] == second.pk
    assert [(r["id"], r["parent_id"], r["by_author"]) for r in thread["replies"]] == [
        (reply.pk, review.pk, True)
    ]
    assert "Rude" not in str(data)


def test_a_review_names_only_a_chapter_the_reader_may_read(client, author, reader, make_story):
    story = make_story(author, chapters=2)
    second = story.chapters.get(position=2)
    community.review_post(
        story=None, chapter=second, user=reader, body="Ahead", rating=None, ip="10.0.0.1"
    )
    actions.chapter_schedule(chapter=second, release_at=timezone.now() + timedelta(days=2))
    (thread,) = client.get(f"{API}/stories/{story.pk}/reviews").json()["results"]
    assert (thread["chapter_id"], thread["chapter_position"]) == (None, None)


def test_reviews_of_a_story_a_guest_may_not_read_are_refused(
    client, archive, author, reader, make_story
):
    members = make_story(author, rating=archive.members_only)
    draft = make_story(author, status=Status.DRAFT)
    assert client.get(f"{API}/stories/{members.pk}/reviews").status_code == 403
    assert client.get(f"{API}/stories/{members.pk}/reviews", **bearer(reader)).status_code == 200
    assert client.get(f"{API}/stories/{draft.pk}/reviews").status_code == 404


def test_series_reviews(client, author, reader):
    series = actions.series_create(owner=author, title="Seasons")
    community.review_post(
        series=series, user=reader, body="A fine series", rating=None, ip="10.0.0.1"
    )
    data = client.get(f"{API}/series/{series.pk}/reviews").json()
    assert [r["body"] for r in data["results"]] == ["<p>A fine series</p>"]


def test_recent_is_the_recent_page_order(client, author, make_story):
    stories = [make_story(author, f"Story {n}") for n in range(4)]
    Story.objects.filter(pk=stories[1].pk).update(updated_at=timezone.now() + timedelta(hours=1))
    expected = list(
        order_stories(listed_stories(AnonymousUser()), RECENT_SORT).values_list("pk", flat=True)
    )
    got = [s["id"] for s in client.get(f"{API}/recent").json()["results"]]
    assert got == expected and got[0] == stories[1].pk
    page = client.get("/recent/")
    assert [card.story.pk for card in page.context["listing"].cards] == got


def test_top_lists_are_the_top_page_lists(client, archive, author, make_story):
    read = make_story(author, "Much Read")
    hidden = make_story(author, "Members Read", rating=archive.members_only)
    Story.objects.filter(pk=read.pk).update(read_count=50)
    Story.objects.filter(pk=hidden.pk).update(read_count=90)
    every = client.get(f"{API}/top").json()
    assert [t["name"] for t in every] == list(toplists.TITLES)
    most_read = client.get(f"{API}/top/most-read").json()
    assert most_read["title"] == "Most read stories" and most_read["kind"] == "stories"
    assert [(r["id"], r["value"]) for r in most_read["rows"]] == [(read.pk, 50)]
    assert most_read["rows"][0]["url"].endswith(f"/stories/{read.pk}/")
    authors = client.get(f"{API}/top/prolific-authors").json()
    assert (authors["kind"], authors["rows"][0]["id"]) == ("authors", author.pk)
    assert client.get(f"{API}/top/nothing").status_code == 400

"""Series (own, open, moderated, closed) and challenges."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.stories import actions
from fabula.stories.models import Challenge, Series

pytestmark = pytest.mark.django_db


def test_create_series_and_add_own_story_and_subseries(client, author, make_story):
    story = make_story(author, "Part One")
    client.force_login(author)
    client.post(
        reverse("stories:series-new"), {"title": "Saga", "summary": "", "openness": "closed"}
    )
    saga = Series.objects.get(title="Saga")
    inner = actions.series_create(owner=author, title="Inner")
    client.post(reverse("stories:series-add", args=[saga.pk]), {"story": story.pk})
    client.post(reverse("stories:series-add", args=[saga.pk]), {"subseries": inner.pk})
    entries = list(saga.entries.all())
    assert [(e.story, e.subseries, e.confirmed) for e in entries] == [
        (story, None, True),
        (None, inner, True),
    ]
    # A series cannot hold itself through a sub-series.
    client.post(reverse("stories:series-add", args=[inner.pk]), {"subseries": saga.pk})
    assert not inner.entries.exists()


@pytest.mark.parametrize(
    "openness, status, confirmed",
    [
        ("open", 302, True),
        ("moderated", 302, False),
        ("closed", 403, None),
    ],
)
def test_others_adding_to_a_series(
    client, author, other_author, make_story, openness, status, confirmed
):
    series = actions.series_create(owner=author, title="Shared", openness=openness)
    story = make_story(other_author, "Visitor")
    client.force_login(other_author)
    response = client.post(reverse("stories:series-add", args=[series.pk]), {"story": story.pk})
    assert response.status_code == status
    entry = series.entries.first()
    assert (entry.confirmed if entry else None) == confirmed
    if openness == "moderated":
        assert entry is not None
        client.force_login(author)
        client.post(reverse("stories:series-entry", args=[series.pk, entry.pk, "confirm"]))
        entry.refresh_from_db()
        assert entry.confirmed


def test_bad_series_title(client, author):
    client.force_login(author)
    response = client.post(reverse("stories:series-new"), {"title": "", "openness": "open"})
    assert "A series needs a title." in response.content.decode()
    assert not Series.objects.exists()


def test_post_a_challenge_and_answer_it(client, author, other_author, archive):
    from fabula.stories.tests.posting_support import newest_story, post_story, story_data

    client.force_login(author)
    client.post(reverse("stories:challenge-new"), {"title": "Write a beach day", "summary": "Sun."})
    challenge = Challenge.objects.get()
    assert challenge.owner == author
    client.force_login(other_author)
    post_story(client, archive, challenges=[challenge.pk])
    story = newest_story()
    assert list(story.challenges.all()) == [challenge]
    # Answered later, or no longer: from the story's own form.
    later = Challenge.objects.create(title="Write a snow day", owner=author)
    edit = reverse("stories:edit", args=[story.pk])
    assert "Write a snow day" in client.get(edit).content.decode()
    data = {
        k: v
        for k, v in story_data(archive, challenges=[later.pk]).items()
        if not k.startswith("chapter-")
    }
    assert client.post(edit, data).status_code == 302
    assert list(story.challenges.all()) == [later]
    data = {k: v for k, v in story_data(archive).items() if not k.startswith("chapter-")}
    client.post(edit, data)
    assert not story.challenges.exists()


def test_coauthor_leaves_a_story(client, author, coauthor, make_story):
    story = make_story(author, coauthors=[coauthor])
    client.force_login(coauthor)
    page = client.get(reverse("stories:manage", args=[story.pk])).content.decode()
    assert "Take my name off this story" in page
    client.post(reverse("stories:leave", args=[story.pk]))
    assert list(story.authors.all()) == [author]
    client.force_login(author)
    assert client.post(reverse("stories:leave", args=[story.pk])).status_code == 403
    assert list(story.authors.all()) == [author]

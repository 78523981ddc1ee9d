"""Kudos: once per member or guest, never on one's own story, counted on the story."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fabula.community import actions
from fabula.community.models import Kudos
from fabula.lib.refusals import NotAllowed, RateLimited


def test_once_per_member_and_per_guest(make_story, author, reader):
    story = make_story(author)
    assert actions.kudos_give(story=story, user=reader) is not None
    assert actions.kudos_give(story=story, user=reader) is None
    assert actions.kudos_give(story=story, user=AnonymousUser(), guest_key="g1") is not None
    assert actions.kudos_give(story=story, user=AnonymousUser(), guest_key="g1") is None
    assert actions.kudos_give(story=story, user=AnonymousUser(), guest_key="g2") is not None
    story.refresh_from_db()
    assert story.kudos_count == 3 == Kudos.objects.count()


def test_not_on_your_own_story(make_story, author, coauthor):
    story = make_story(author, coauthors=[coauthor])
    for writer in (author, coauthor):
        with pytest.raises(NotAllowed):
            actions.kudos_give(story=story, user=writer)
    assert not Kudos.objects.exists()


def test_kudos_are_rate_limited(make_story, author, reader, settings):
    stories = [make_story(author, f"S{n}", chapters=1) for n in range(31)]
    for story in stories[:30]:
        actions.kudos_give(story=story, user=reader)
    with pytest.raises(RateLimited):
        actions.kudos_give(story=stories[30], user=reader)


def test_the_buttons(client, make_story, author, reader):
    story = make_story(author)
    page = client.get(reverse("story", args=[story.pk])).content.decode()
    assert reverse("community:kudos", args=[story.pk]) in page
    assert "csrfmiddlewaretoken" not in page  # a guest's page may be cached: no token in it
    assert (
        "Thank you for the kudos"
        in client.post(reverse("community:kudos", args=[story.pk])).content.decode()
    )
    client.force_login(reader)
    page = client.get(reverse("story", args=[story.pk])).content.decode()
    assert "Leave kudos" in page  # a new member, not the guest above
    client.post(reverse("community:kudos", args=[story.pk]))
    assert "You left kudos" in client.get(reverse("story", args=[story.pk])).content.decode()
    story.refresh_from_db()
    assert story.kudos_count == 2


def test_guests_cannot_touch_members_only_stories(client, make_story, author, archive):
    story = make_story(author, rating=archive.members_only)
    assert client.post(reverse("community:kudos", args=[story.pk])).status_code == 403
    assert client.get(reverse("community:story-reviews", args=[story.pk])).status_code == 403
    assert not Kudos.objects.exists()
    with pytest.raises(NotAllowed):
        actions.kudos_give(story=story, user=AnonymousUser(), guest_key="g1")

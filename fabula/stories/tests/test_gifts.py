"""Gifts: a story given to a member (told, and free to refuse it) or to a plain name, from the
post and edit forms, shown on the story's page and on the member's Gifts page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.lib.refusals import FieldRefused
from fabula.notifications.models import Notification
from fabula.stories import actions
from fabula.stories.models import Gift, Status
from fabula.stories.tests.posting_support import newest_story, post_story, story_data
from fabula.test import set_site

pytestmark = pytest.mark.django_db


def _names(story) -> list[str]:
    return [gift.shown_name for gift in story.gifts.filter(refused_at__isnull=True)]


def test_a_story_posted_as_a_gift_to_a_member_and_a_name(client, archive, author, reader):
    author.trusted = True
    author.save()
    client.force_login(author)
    response = post_story(client, archive, gifts="reader, Aunt May")  # any case of a pen name
    assert response.status_code == 302
    story = newest_story()
    assert story.status == Status.PUBLISHED
    gifts = list(story.gifts.select_related("recipient"))
    assert [(g.recipient, g.name) for g in gifts] == [(reader, ""), (None, "Aunt May")]
    # The member heard of it; a plain name is nobody to tell.
    told = Notification.objects.get(kind=Notification.Kind.GIFT)
    assert told.user == reader and told.story_id == story.pk and story.title in told.text

    page = client.get(reverse("story", args=[story.pk])).content.decode()
    assert "For" in page and reverse("gifts", args=[reader.pk]) in page and "Aunt May" in page
    client.logout()
    gifts_page = client.get(reverse("gifts", args=[reader.pk])).content.decode()
    assert story.title in gifts_page


def test_a_gift_waiting_for_validation_is_announced_when_validated(
    archive, author, reader, moderator
):
    from fabula.moderation.actions import story_validate

    set_site(auto_validate=False)
    story = actions.story_post(
        by=author,
        title="Not yet",
        rating=archive.general,
        chapter_title="One",
        body="<p>Text.</p>",
        gifts=["Reader"],
        publish=True,
    )
    assert story.status == Status.PENDING  # nobody is told of a story they cannot open
    assert not Notification.objects.filter(user=reader).exists()
    story_validate(story=story, by=moderator)
    assert Notification.objects.filter(user=reader, kind="gift").count() == 1
    actions.gifts_announce(story=story)  # asking again tells nobody twice
    assert Notification.objects.filter(user=reader, kind="gift").count() == 1


def test_the_recipient_refuses_and_the_gift_disappears(client, archive, make_story, author, reader):
    story = make_story(author, "For You")
    gift = actions.gift_give(story=story, recipient=reader, by=author)
    client.force_login(reader)
    page = client.get(reverse("gifts", args=[reader.pk])).content.decode()
    assert "For You" in page and reverse("stories:gift-refuse", args=[gift.pk]) in page

    response = client.post(reverse("stories:gift-refuse", args=[gift.pk]), follow=True)
    assert "You refused “For You”" in response.content.decode()
    assert "For You" not in client.get(reverse("gifts", args=[reader.pk])).content.decode()
    story_page = client.get(reverse("story", args=[story.pk])).content.decode()
    assert reverse("gifts", args=[reader.pk]) not in story_page
    # It cannot be given again, and the edit form says so beside the field.
    with pytest.raises(FieldRefused, match="refused this story"):
        actions.gift_give(story=story, recipient=reader, by=author)
    client.force_login(author)
    response = client.post(
        reverse("stories:edit", args=[story.pk]),
        {**story_data(archive), "gifts": "Reader"},
    )
    assert response.status_code == 200
    assert "refused this story" in response.content.decode()
    assert _names(story) == []


def test_only_the_recipient_may_refuse(client, make_story, author, reader, other_author):
    story = make_story(author)
    gift = actions.gift_give(story=story, recipient=reader, by=author)
    client.force_login(other_author)
    assert client.post(reverse("stories:gift-refuse", args=[gift.pk])).status_code == 404
    gift.refresh_from_db()
    assert gift.refused_at is None


def test_bad_gifts_are_refused_with_a_reason_and_change_nothing(
    client, archive, make_story, author, coauthor, reader
):
    story = make_story(author, coauthors=[coauthor])
    actions.gift_give(story=story, name="Old Friend", by=author)
    client.force_login(author)
    edit = reverse("stories:edit", args=[story.pk])
    for names, message in [
        ("Reader, Midnight Owl", "Midnight Owl is an author of this story"),
        ("x" * 101, "too long for a name"),
        (", ".join(f"Name {n}" for n in range(21)), "at most 20 people"),
    ]:
        response = client.post(edit, {**story_data(archive), "gifts": names})
        assert response.status_code == 200, names
        assert message in response.content.decode()
        assert _names(story) == ["Old Friend"]  # nothing given, nothing taken back
    assert not Notification.objects.filter(kind="gift").exists()


def test_an_unknown_name_is_a_plain_name_and_editing_takes_gifts_back(
    client, archive, make_story, author, reader
):
    story = make_story(author)
    client.force_login(author)
    edit = reverse("stories:edit", args=[story.pk])
    assert "Nobody Here" not in client.get(edit).content.decode()
    client.post(edit, {**story_data(archive), "gifts": "Nobody Here, Reader"})
    assert _names(story) == ["Nobody Here", "Reader"]
    assert Gift.objects.get(story=story, name="Nobody Here").recipient is None
    assert 'value="Nobody Here, Reader"' in client.get(edit).content.decode()
    client.post(edit, {**story_data(archive), "gifts": "Reader"})
    assert _names(story) == ["Reader"]
    assert Notification.objects.filter(user=reader, kind="gift").count() == 1


def test_the_gifts_page_shows_only_what_the_reader_may_see(client, make_story, author, reader):
    public = make_story(author, "Out in the Open")
    draft = make_story(author, "Still a Draft", status=Status.DRAFT)
    for story in (public, draft):
        actions.gift_give(story=story, recipient=reader, by=author)
    page = client.get(reverse("gifts", args=[reader.pk])).content.decode()
    assert "Out in the Open" in page and "Still a Draft" not in page
    client.force_login(author)
    assert "Still a Draft" in client.get(reverse("gifts", args=[reader.pk])).content.decode()


def test_the_api_story_object_names_its_gifts(client, make_story, author, reader):
    story = make_story(author)
    actions.gift_give(story=story, recipient=reader, by=author)
    actions.gift_give(story=story, name="Aunt May", by=author)
    body = client.get(f"/api/v1/stories/{story.pk}").json()
    assert body["gifts"] == [
        {"member": {"id": reader.pk, "name": "Reader"}, "name": "Reader"},
        {"member": None, "name": "Aunt May"},
    ]

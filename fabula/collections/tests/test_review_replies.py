"""An author answering a review of a work in an anonymous collection is "Anonymous" too: on the
story and chapter pages, in the reviewer's alert and in the API, until the reveal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.collections import actions
from fabula.community import actions as community
from fabula.community.models import Review
from fabula.notifications.models import Notification
from fabula.stories.actions.pseuds import pseud_add
from fabula.stories.models import Story
from fabula.test import chapter_url, make_user

PEN_NAME = "Masked Writer"
PSEUD = "Velvet Quill"


@pytest.fixture
def thread(make_story, archive, django_capture_on_commit_callbacks):
    keeper, author, reader = make_user("Keeper"), make_user(PEN_NAME), make_user("Reader")
    with django_capture_on_commit_callbacks(execute=True):
        masks = actions.collection_create(by=keeper, name="masks", title="Masks", anonymous=True)
        story = make_story(author, "Masked Tale", tags=[archive.fandom, archive.jim])
        actions.collection_add_work(collection=masks, story=story, by=author)
        story = Story.objects.get(pk=story.pk)
        assert story.anonymous and not story.unrevealed
        review = community.review_post(
            chapter=story.chapters.get(position=1), user=reader, body="Who wrote this?"
        )
        reply = community.review_reply(
            parent=review,
            user=author,
            body="Thank you, reader",
            pseud=pseud_add(user=author, name=PSEUD),
        )
    assert reply.by_author
    return {"keeper": keeper, "masks": masks, "story": story, "reader": reader, "reply": reply}


def _seen(client, story) -> dict[str, str]:
    return {
        url: client.get(url).content.decode()
        for url in (
            reverse("story", args=[story.pk]),
            chapter_url(story.pk, 1),
            reverse("community:story-reviews", args=[story.pk]),
            f"/api/v1/stories/{story.pk}/reviews",
        )
    }


def _api_reply(client, story) -> dict:
    (review,) = client.get(f"/api/v1/stories/{story.pk}/reviews").json()["results"]
    (reply,) = review["replies"]
    return reply


def test_an_authors_reply_is_anonymous_until_the_reveal(
    client, thread, django_capture_on_commit_callbacks
):
    story, reply = thread["story"], thread["reply"]
    for url, text in _seen(client, story).items():
        assert "Thank you, reader" in text, url
        assert PSEUD not in text and PEN_NAME not in text, url
        assert "Anonymous" in text, url
    page = client.get(chapter_url(story.pk, 1)).content.decode()
    assert "author-reply" in page  # still marked as the author's answer
    assert f"/pseuds/{reply.pseud_id}/" not in page
    answer = _api_reply(client, story)
    assert answer["name"] == "Anonymous" and answer["user_id"] is None and answer["by_author"]
    alert = Notification.objects.get(user=thread["reader"], kind="reply")
    assert alert.text == "Anonymous (author) replied to a review of Masked Tale."

    with django_capture_on_commit_callbacks(execute=True):
        actions.collection_reveal(collection=thread["masks"], by=thread["keeper"])
    for url, text in _seen(client, story).items():
        assert PSEUD in text, url
    page = client.get(chapter_url(story.pk, 1)).content.decode()
    assert f"/pseuds/{reply.pseud_id}/" in page
    answer = _api_reply(client, story)
    assert answer["name"] == PSEUD and answer["user_id"] == reply.user_id
    # A reply written after the reveal names its author in the alert too.
    with django_capture_on_commit_callbacks(execute=True):
        community.review_reply(
            parent=Review.objects.get(pk=reply.parent_id), user=reply.user, body="Yes, me"
        )
    newest = Notification.objects.filter(user=thread["reader"], kind="reply").latest("pk")
    assert newest.text == f"{PEN_NAME} (author) replied to a review of Masked Tale."

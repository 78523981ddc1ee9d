"""Authors through a write token: the same forms check the input, the same actions write, so a
chapter posted through the API waits in the validation queue exactly as one posted on the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fabula.api.tests.helpers import bearer, call
from fabula.audit.models import AuditEntry
from fabula.stories.models import Chapter, Status, Story
from fabula.test import set_site

CHAPTER = {"title": "Third", "body": "<p>One two <script>x</script>three.</p>"}


def _fields(chapter: Chapter) -> tuple:
    return (chapter.title, chapter.body, chapter.status, chapter.author_id, chapter.word_count)


def test_a_token_chapter_waits_in_the_queue_like_a_posted_one(
    client, author, moderator, make_story
):
    set_site(auto_validate=False)
    by_page, by_api = make_story(author, "By Page"), make_story(author, "By API")
    client.force_login(author)
    client.post(
        reverse("stories:chapter-new", args=[by_page.pk]),
        {**CHAPTER, "text_format": "html", "notes": "", "end_notes": ""},
    )
    client.logout()
    response = call(
        client, "post", f"/stories/{by_api.pk}/chapters", bearer(author, "write"), CHAPTER
    )
    assert response.status_code == 201
    assert response.json()["status"] == Status.PENDING
    posted, api_posted = (s.chapters.get(position=3) for s in (by_page, by_api))
    assert _fields(posted) == _fields(api_posted)
    assert api_posted.status == Status.PENDING and "script" not in api_posted.body
    for story in (by_page, by_api):
        story.refresh_from_db()
        assert story.chapter_count == 2  # the waiting chapter is not counted yet
    # Staff see both in their queue; a guest sees neither, on the page or through the API.
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert queue.count("Third") == 2
    client.logout()
    assert call(client, "get", f"/stories/{by_api.pk}/chapters/3", {}).status_code == 404


def test_a_story_posted_with_publish_waits_or_is_published(client, archive, author):
    set_site(auto_validate=False)
    body = {
        "title": "From a Script",
        "rating_id": archive.general.pk,
        "tag_ids": [archive.fandom.pk, archive.humor.pk],
        "freeform": ["road trip"],
        "chapter": {"body": "# Hello\n\nWorld", "text_format": "markdown"},
        "publish": True,
    }
    response = call(client, "post", "/stories", bearer(author, "write"), body)
    assert response.status_code == 201
    story = Story.objects.get(pk=response.json()["id"])
    assert story.status == Status.PENDING
    assert story.chapters.get().body == "<h1>Hello</h1>\n<p>World</p>\n"
    assert {t.name for t in story.tags.all()} == {"The Office", "Humor", "road trip"}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "title"),
        ({"rating_id": 999}, "rating"),
        ({"tag_ids": [999]}, "No such tag"),
        ({"chapter": {"body": "  "}}, "needs some text"),
    ],
)
def test_bad_work_is_refused_with_a_reason_and_nothing_made(
    client, archive, author, change, message
):
    body = {
        "title": "T",
        "rating_id": archive.general.pk,
        "chapter": {"body": "<p>x</p>"},
        **change,
    }
    response = call(client, "post", "/stories", bearer(author, "write"), body)
    assert response.status_code in (400, 422)
    assert message.lower() in response.json()["detail"].lower()
    assert not Story.objects.exists()


def test_staff_edits_through_the_api_are_audited(client, author, admin_user, make_story):
    story = make_story(author)
    chapter = story.chapters.get(position=1)
    response = call(
        client,
        "put",
        f"/stories/{story.pk}/chapters/1",
        bearer(admin_user, "write"),
        {"title": "Fixed", "body": "<p>Typo fixed.</p>"},
    )
    assert response.status_code == 200
    chapter.refresh_from_db()
    assert chapter.title == "Fixed"
    assert AuditEntry.objects.filter(action="edit chapter").count() == 1

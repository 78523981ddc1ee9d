"""Authors through a write token: the same forms check the input, the same actions write, so a
chapter posted through the API waits in the validation queue exactly as one posted on the page."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

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


def _order(story: Story) -> list[int]:
    return list(story.chapters.order_by("position").values_list("pk", flat=True))


def test_chapters_are_reordered_and_keep_their_ids(client, author, make_story):
    story = make_story(author, chapters=3)
    first, second, third = _order(story)
    write = bearer(author, "write")
    response = call(
        client,
        "put",
        f"/stories/{story.pk}/chapter-order",
        write,
        {"order": [third, first, second]},
    )
    assert response.status_code == 200, response.content
    assert _order(story) == [third, first, second]
    chapters = client.get(f"/api/v1/stories/{story.pk}").json()["chapters"]
    assert [(c["id"], c["position"]) for c in chapters] == [(third, 1), (first, 2), (second, 3)]
    assert AuditEntry.objects.filter(action="reorder chapters").count() == 0  # the author's own


@pytest.mark.parametrize("order", ["none", "missing", "twice", "foreign"])
def test_a_bad_order_says_why_and_changes_nothing(client, author, make_story, order):
    story, other = make_story(author, chapters=3), make_story(author, "Other")
    ids = _order(story)
    given = {
        "none": [],
        "missing": ids[:2],
        "twice": [ids[0], ids[0], ids[1]],
        "foreign": [*ids[:2], _order(other)[0]],
    }[order]
    response = call(
        client,
        "put",
        f"/stories/{story.pk}/chapter-order",
        bearer(author, "write"),
        {"order": given},
    )
    assert response.status_code == 422
    assert "every chapter of the story exactly once" in response.json()["detail"]
    assert _order(story) == ids


def test_a_chapter_is_scheduled_then_released(client, author, make_story):
    story = make_story(author, chapters=2)
    write = bearer(author, "write")
    when = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = call(
        client,
        "put",
        f"/stories/{story.pk}/chapters/2/schedule",
        write,
        {"release_at": when.astimezone(ZoneInfo("Asia/Tokyo")).isoformat()},
    )
    assert response.status_code == 200, response.content
    chapter = story.chapters.get(position=2)
    assert chapter.release_at == when  # the offset the client gave is honoured
    assert client.get(f"/api/v1/stories/{story.pk}/chapters/2").status_code == 404
    response = call(
        client, "put", f"/stories/{story.pk}/chapters/2/schedule", write, {"release_at": None}
    )
    assert response.status_code == 200
    chapter.refresh_from_db()
    assert chapter.release_at is None
    assert client.get(f"/api/v1/stories/{story.pk}/chapters/2").status_code == 200


@pytest.mark.parametrize(
    "body, status, detail",
    [
        ({"release_at": "2001-01-01T10:00:00Z"}, 422, "in the future"),
        ({"release_at": "soon"}, 400, "release_at"),
        ({}, 400, "release_at"),
    ],
)
def test_a_bad_schedule_says_why_and_changes_nothing(
    client, author, make_story, body, status, detail
):
    story = make_story(author)
    response = call(
        client, "put", f"/stories/{story.pk}/chapters/1/schedule", bearer(author, "write"), body
    )
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert story.chapters.get(position=1).release_at is None


def test_a_draft_is_made_listed_and_published(client, archive, author, reader):
    set_site(auto_validate=True)
    write = bearer(author, "write")
    body = {
        "title": "In the Drawer",
        "rating_id": archive.general.pk,
        "chapter": {"body": "<p>First.</p>"},
    }
    made = call(client, "post", "/stories", write, body).json()
    assert made["status"] == Status.DRAFT
    more = call(client, "post", f"/stories/{made['id']}/chapters", write, {"body": "<p>Two.</p>"})
    assert more.json()["status"] == Status.DRAFT  # a draft's chapter is a draft
    drafts = call(client, "get", "/me/stories?status=draft", bearer(author)).json()["results"]
    assert [(d["id"], d["title"], d["status"]) for d in drafts] == [
        (made["id"], "In the Drawer", "draft")
    ]
    assert call(client, "get", "/me/stories", bearer(reader)).json()["results"] == []
    assert client.get(f"/api/v1/stories/{made['id']}").status_code == 404
    published = call(client, "post", f"/stories/{made['id']}/submit", write).json()
    assert published["status"] == Status.PUBLISHED
    assert call(client, "get", "/me/stories?status=draft", write).json()["results"] == []
    story = client.get(f"/api/v1/stories/{made['id']}").json()
    assert [c["position"] for c in story["chapters"]] == [1, 2]

"""A member's token: favourites, follows, history and position, marked for later, kudos and
reviews, each through the community actions."""

from __future__ import annotations

import pytest

from fabula.api.tests.helpers import bearer, call
from fabula.community import actions
from fabula.community.models import Reading
from fabula.stories import actions as story_actions


@pytest.fixture
def story(make_story, author):
    return make_story(author, "Casino Night", chapters=3)


@pytest.mark.parametrize(
    "list_name, kind",
    [("favourites", "stories"), ("follows", "authors"), ("favourites", "series")],
)
def test_lists_are_kept_and_read(client, reader, author, story, list_name, kind):
    write = bearer(reader, "write")
    series = story_actions.series_create(owner=author, title="Seasons")
    target = {"stories": story.pk, "authors": author.pk, "series": series.pk}[kind]
    assert call(client, "put", f"/me/{list_name}/{kind}/{target}", write).json() == {"done": True}
    listed = call(client, "get", f"/me/{list_name}", write).json()["results"]
    assert [(item["kind"], item["id"]) for item in listed] == [(kind, target)]
    assert call(client, "delete", f"/me/{list_name}/{kind}/{target}", write).json()["done"]
    assert call(client, "get", f"/me/{list_name}", write).json()["results"] == []


def test_reading_position_is_saved_and_listed(client, reader, story):
    write = bearer(reader, "write")
    response = call(
        client, "put", f"/me/history/{story.pk}", write, {"chapter_position": 2, "place": 0.4}
    )
    assert response.json() == {"done": True}
    reading = Reading.objects.get(user=reader)
    assert reading.chapter is not None
    assert (reading.chapter.position, reading.position) == (2, 0.4)
    history = call(client, "get", "/me/history", write).json()["results"]
    assert [(h["story"]["id"], h["chapter_position"], h["place"]) for h in history] == [
        (story.pk, 2, 0.4)
    ]


@pytest.mark.parametrize(
    "body, detail",
    [
        ({"chapter_position": 9, "place": 0.5}, "no such chapter"),
        ({"place": 0.5}, "chapter_position"),
    ],
)
def test_a_bad_position_says_why_and_saves_nothing(client, reader, story, body, detail):
    response = call(client, "put", f"/me/history/{story.pk}", bearer(reader, "write"), body)
    assert response.status_code in (400, 422)
    assert detail in response.json()["detail"].lower()
    assert not Reading.objects.exists()


def test_history_off_keeps_nothing(client, reader, story):
    actions.history_off(user=reader)
    response = call(
        client,
        "put",
        f"/me/history/{story.pk}",
        bearer(reader, "write"),
        {"chapter_position": 1, "place": 0.1},
    )
    assert response.json() == {"done": False}
    assert not Reading.objects.exists()


def test_marked_for_later(client, reader, story):
    write = bearer(reader, "write")
    call(client, "put", f"/me/later/{story.pk}", write)
    assert Reading.objects.get(user=reader).marked_for_later
    call(client, "delete", f"/me/later/{story.pk}", write)
    assert not Reading.objects.get(user=reader).marked_for_later


def test_kudos_once_and_not_on_your_own_story(client, reader, author, story):
    assert call(client, "post", f"/stories/{story.pk}/kudos", bearer(reader, "write")).json() == {
        "done": True
    }
    again = call(client, "post", f"/stories/{story.pk}/kudos", bearer(reader, "write"))
    assert again.json() == {"done": False}
    story.refresh_from_db()
    assert story.kudos_count == 1
    own = call(client, "post", f"/stories/{story.pk}/kudos", bearer(author, "write"))
    assert own.status_code == 403


def test_a_review_goes_through_the_action(client, reader, story):
    response = call(
        client,
        "post",
        f"/stories/{story.pk}/reviews",
        bearer(reader, "write"),
        {"body": "Loved it", "chapter_position": 2},
    )
    assert response.status_code == 201
    assert response.json()["body"] == "<p>Loved it</p>"
    story.refresh_from_db()
    assert story.review_count == 1
    empty = call(client, "post", f"/stories/{story.pk}/reviews", bearer(reader, "write"), {})
    assert empty.status_code == 422
    assert "Write a few words" in empty.json()["detail"]


def test_the_blocklist_is_kept_read_and_applied(client, archive, reader, author, story, make_story):
    write = bearer(reader, "write")
    other = make_story(author, "Another")
    assert call(client, "put", f"/me/blocks/stories/{story.pk}", write).json() == {"done": True}
    assert call(client, "put", f"/me/blocks/tags/{archive.humor.pk}", write).json()["done"]
    blocks = call(client, "get", "/me/blocks", write).json()["results"]
    assert {(b["kind"], b["id"], b["name"]) for b in blocks} == {
        ("stories", story.pk, "Casino Night"),
        ("tags", archive.humor.pk, "Humor"),
    }
    listed = call(client, "get", "/stories", write).json()["results"]
    assert [s["id"] for s in listed] == [other.pk]  # the lists leave a blocked story out
    assert call(client, "delete", f"/me/blocks/stories/{story.pk}", write).json()["done"]
    again = call(client, "delete", f"/me/blocks/stories/{story.pk}", write).json()
    assert again == {"done": False}
    listed = call(client, "get", "/stories", write).json()["results"]
    assert {s["id"] for s in listed} == {story.pk, other.pk}


@pytest.mark.parametrize(
    "path, status, detail",
    [
        ("/me/blocks/authors/{me}", 422, "cannot block yourself"),
        ("/me/blocks/series/1", 400, "kind"),
        ("/me/blocks/tags/999999", 404, ""),
    ],
)
def test_a_bad_block_says_why_and_blocks_nothing(client, reader, path, status, detail):
    response = call(client, "put", path.format(me=reader.pk), bearer(reader, "write"), None)
    assert response.status_code == status
    assert detail in response.json().get("detail", "").lower()
    assert not reader.blocks.exists()


def test_a_story_a_member_may_not_see_cannot_be_blocked(client, reader, author, make_story):
    from fabula.stories.models import Status

    draft = make_story(author, status=Status.DRAFT)
    response = call(client, "put", f"/me/blocks/stories/{draft.pk}", bearer(reader, "write"))
    assert response.status_code == 404
    assert not reader.blocks.exists()

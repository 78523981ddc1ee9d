"""No hidden, draft, pending, members-only, locked or unreleased work reaches a guest through
any read of the API: every GET operation of the OpenAPI document is called with the ids of both
the public and the secret objects, and no answer may name a secret."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from fabula.api.site import api
from fabula.community import actions as community
from fabula.community import toplists
from fabula.community.models import ReadingList, Review
from fabula.stories import actions
from fabula.stories.models import Status, Story
from fabula.test import quick_user

SECRET = "Zyxsecret"


@pytest.fixture
def secrets_and_public(archive, author, make_story, django_capture_on_commit_callbacks):
    loner = quick_user("Hidden Hand")  # credited only on secret work
    with django_capture_on_commit_callbacks(execute=True):
        public = make_story(author, "Open Book word")
        secrets = [
            make_story(loner, f"{SECRET} draft word", status=Status.DRAFT),
            make_story(loner, f"{SECRET} pending word", status=Status.PENDING),
            make_story(loner, f"{SECRET} hidden word", status=Status.HIDDEN),
            make_story(loner, f"{SECRET} members word", rating=archive.members_only),
            make_story(loner, f"{SECRET} locked word", locked=True),
            make_story(loner, f"{SECRET} scheduled word", chapters=0),
        ]
        actions.chapter_add(
            story=secrets[-1],
            title="Later",
            body=f"<p>{SECRET} word</p>",
            release_at=timezone.now() + timedelta(days=3),
        )
        actions.chapter_add(
            story=public,
            title=f"{SECRET} chapter",
            body=f"<p>{SECRET} word</p>",
            release_at=timezone.now() + timedelta(days=3),
        )
        series = actions.series_create(owner=loner, title="A Series")
        challenge = actions.challenge_create(title="A Challenge", owner=loner)
        for story in [public, *secrets]:
            actions.series_add_work(series=series, story=story, by=loner)
            story.challenges.add(challenge)
        # Secrets the top lists would put first, and reviews no guest may read: hidden by
        # staff, or of a secret story.
        Story.objects.filter(pk__in=[s.pk for s in secrets]).update(
            read_count=1000, word_count=10**6, kudos_count=1000, review_count=1000
        )
        critic = quick_user("Critic")
        for target in ({"story": public}, {"series": series}):
            hidden = community.review_post(
                **target, user=critic, body=f"{SECRET} review", ip="10.0.0.9"
            )
            if hidden.story_id:  # only a story's reviews take replies
                community.review_reply(parent=hidden, user=critic, body=f"{SECRET} reply")
            Review.objects.filter(pk=hidden.pk).update(hidden=True)
        for story in secrets:
            Review.objects.create(story=story, user=loner, name=loner.pen_name, body=SECRET)
        visible = community.review_post(story=public, user=critic, body="Seen", ip="10.0.0.9")
        hidden_reply = community.review_reply(parent=visible, user=critic, body=f"{SECRET} too")
        Review.objects.filter(pk=hidden_reply.pk).update(hidden=True)
        # Related works both ways between the public story and the secret ones, all approved;
        # a public reading list holding them all (secret notes on the secret ones); a private
        # list with a secret name.
        for secret in secrets:
            actions.relation_add(story=public, kind="remix", to=str(secret.pk))
            link = actions.relation_add(story=secret, kind="inspired", to=str(public.pk), by=loner)
            actions.relation_answer(relation=link, approve=True, by=author)
        recs = community.reading_list_create(owner=critic, name="Recs", public=True)
        community.reading_list_add(reading_list=recs, story=public, note="Seen")
        for secret in secrets:
            community.reading_list_add(reading_list=recs, story=secret, note=SECRET)
        community.reading_list_create(owner=critic, name=f"{SECRET} list")
    return public, secrets, series, loner, challenge


def _get_operations() -> list[str]:
    paths = api.get_openapi_schema()["paths"]
    return sorted(path for path, item in paths.items() if "get" in item)


def test_no_read_shows_a_guest_any_secret(client, archive, secrets_and_public):
    public, secrets, series, loner, challenge = secrets_and_public
    ids: dict[str, list] = {
        "list_name": ["favourites", "follows"],
        "story_id": [public.pk, *(s.pk for s in secrets)],
        "position": [1, 2, 3],
        "user_id": [loner.pk],
        "pseud_id": [loner.pseuds.get().pk],
        "series_id": [series.pk],
        "tag_id": [archive.fandom.pk, archive.jim.pk],
        "challenge_id": [challenge.pk],
        "name": list(toplists.TITLES),
        "list_id": list(ReadingList.objects.order_by("pk").values_list("pk", flat=True)),
    }
    called = 0
    for path in _get_operations():
        if "openapi" in path or path.endswith("/docs"):
            continue
        names = re.findall(r"{(\w+)}", path)
        combos: list[dict[str, object]] = [{}]
        for name in names:
            combos = [{**c, name: value} for c in combos for value in ids[name]]
        for combo in combos:
            address = path
            for name, value in combo.items():
                address = address.replace(f"{{{name}}}", str(value))
            for query in ("", "?consent=true", "?q=word", f"?q={SECRET}", "?sort=title"):
                response = client.get(address + query)
                called += 1
                assert response.status_code < 500, address + query
                assert SECRET.lower() not in response.content.decode().lower(), address + query
    assert called > 100
    # A member's profile is public (as its page is), but the author list counts only work the
    # reader may see.
    authors = client.get("/api/v1/authors").json()["results"]
    assert [a["pen_name"] for a in authors] == ["Night Swept"]
    assert client.get(f"/api/v1/authors/{loner.pk}").json()["story_count"] == 0
    # And the public story is there, so the check above looked at real answers.
    listed = client.get("/api/v1/stories").json()["results"]
    assert [story["id"] for story in listed] == [public.pk]
    found = client.get("/api/v1/search?q=word").json()["results"]
    assert [hit["story"]["id"] for hit in found] == [public.pk]
    responses = client.get(f"/api/v1/challenges/{challenge.pk}/responses").json()["results"]
    assert [story["id"] for story in responses] == [public.pk]
    recs = ReadingList.objects.get(name="Recs")
    on_list = client.get(f"/api/v1/lists/{recs.pk}").json()["results"]
    assert [entry["story"]["id"] for entry in on_list] == [public.pk]
    links = client.get(f"/api/v1/stories/{public.pk}").json()
    assert links["related_works"] == [] and len(links["relations"]) == len(secrets)
    assert all(relation["story"] is None for relation in links["relations"])
    assert client.get(f"/api/v1/challenges/{challenge.pk}").json()["response_count"] == 1
    (thread,) = client.get(f"/api/v1/stories/{public.pk}/reviews").json()["results"]
    assert (thread["body"], thread["replies"]) == ("<p>Seen</p>", [])
    most_read = client.get("/api/v1/top/most-read").json()["rows"]
    assert [row["id"] for row in most_read] == []  # the public story was never read

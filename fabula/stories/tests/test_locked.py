"""Locked works (AO3's "restricted"): an author makes any story members-only, whatever its
rating. Members read it as any other, with a badge on its card; guests meet a login gate at its
address that does not even name it, cannot leave kudos or review, and the guest page cache
follows each lock and unlock at once. (That guests find it nowhere else, through every address
the site serves, is tests/test_guest_leaks.py.)"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from fabula.api.tests.helpers import API, bearer, call
from fabula.community.models import Kudos, Review
from fabula.lib.refusals import FieldRefused
from fabula.stories import actions
from fabula.stories.models import Story
from fabula.stories.permissions import listed_stories, members_only
from fabula.stories.tests.posting_support import newest_story, post_story, story_data
from fabula.test import chapter_url, set_site

TITLE = "Lanternfish Quietly"


def _edit(client, story: Story, archive, **changes):
    data = story_data(archive, title=story.title)
    data = {k: v for k, v in data.items() if not k.startswith("chapter-") and k != "publish"}
    data.update(changes)
    return client.post(reverse("stories:edit", args=[story.pk]), data)


def _guest_sees(address: str) -> tuple[int, str]:
    response = Client().get(address)
    return response.status_code, response.content.decode()


def test_the_post_form_locks_a_story_and_members_see_it_with_a_badge(
    author_client, archive, reader
):
    set_site(auto_validate=True)
    page = author_client.get(reverse("stories:new")).content.decode()
    assert 'name="locked"' in page and "For members only" in page
    post_story(author_client, archive, title=TITLE, locked="on")
    story = newest_story()
    assert story.locked and story.status == "published"
    member = Client()
    member.force_login(reader)
    listing = member.get(reverse("browse")).content.decode()
    card = listing.split(TITLE)[1].split("</h3>")[0]
    assert 'class="badge locked"' in card and "Members only" in card
    chapter = member.get(chapter_url(story, 1))
    assert chapter.status_code == 200 and "Everyone walked to the beach." in chapter.text
    assert TITLE not in _guest_sees(reverse("browse"))[1]


def test_a_guest_meets_a_login_gate_that_does_not_name_the_story(
    client, author, archive, make_story
):
    story = make_story(author, TITLE, locked=True)
    for address in [
        reverse("story", args=[story.pk]),
        chapter_url(story, 1),
        reverse("story-full", args=[story.pk]),
        reverse("download", args=[story.pk, "epub"]),
    ]:
        response = client.get(address)
        page = response.content.decode()
        assert response.status_code in (403, 404), address
        assert TITLE not in page and "Text of chapter" not in page, address
    gate = client.get(reverse("story", args=[story.pk])).content.decode()
    assert "Registered users only" in gate and "for members of" in gate
    assert f"{reverse('accounts:login')}?next=" in gate
    response = Client().get(f"{API}/stories/{story.pk}")
    assert response.status_code == 403 and TITLE not in response.content.decode()


def test_the_guest_page_cache_follows_locking_and_unlocking_at_once(
    author_client, author, archive, make_story, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    story = make_story(author, TITLE)
    index, home = reverse("story", args=[story.pk]), reverse("home")
    # Guests fill the cache with the open story's pages.
    assert _guest_sees(index)[0] == 200 and TITLE in _guest_sees(home)[1]
    assert _guest_sees(chapter_url(story, 1))[0] == 200
    assert _edit(author_client, story, archive, locked="on").status_code == 302
    story.refresh_from_db()
    assert story.locked
    for address in [index, chapter_url(story, 1)]:
        status, page = _guest_sees(address)
        assert status == 403 and "Text of chapter" not in page and TITLE not in page
        assert _guest_sees(address)[0] == 403  # the gate itself is never kept
    assert TITLE not in _guest_sees(home)[1]
    assert _edit(author_client, story, archive).status_code == 302  # the box left unticked
    story.refresh_from_db()
    assert not story.locked
    assert _guest_sees(index)[0] == 200 and TITLE in _guest_sees(home)[1]


def test_guests_cannot_leave_kudos_or_review_a_locked_story(client, author, archive, make_story):
    set_site(anonymous_reviews=True)
    story = make_story(author, TITLE, locked=True)
    response = client.post(reverse("community:kudos", args=[story.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("community:review-new", args=[story.pk]), {"name": "Guest", "body": "Lovely."}
    )
    assert response.status_code == 403
    response = Client().post(f"{API}/stories/{story.pk}/kudos")
    assert response.status_code in (401, 403)
    story.refresh_from_db()
    assert story.kudos_count == 0 and not Kudos.objects.exists() and not Review.objects.exists()


def test_members_leave_kudos_and_review_a_locked_story(client, reader, author, make_story):
    story = make_story(author, TITLE, locked=True)
    client.force_login(reader)
    assert client.post(reverse("community:kudos", args=[story.pk])).status_code == 302
    response = client.post(reverse("community:review-new", args=[story.pk]), {"body": "Lovely."})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.kudos_count == 1 and story.review_count == 1


def test_editing_without_the_box_of_an_old_page_would_unlock(author_client, author, archive):
    """The edit form always shows the box (ticked when locked), so what it sends is what the
    author sees; the API, whose clients may not know the field, keeps it when left out."""
    post_story(author_client, archive, title=TITLE, locked="on")
    story = newest_story()
    page = author_client.get(reverse("stories:edit", args=[story.pk])).content.decode()
    assert re.search(r'<input type="checkbox" name="locked"[^>]*checked', page)


def test_the_api_posts_locks_and_keeps_the_lock_when_an_edit_leaves_it_out(client, author, archive):
    headers = bearer(author, "write")
    posted = call(
        client,
        "post",
        "/stories",
        headers,
        {
            "title": TITLE,
            "rating_id": archive.general.pk,
            "tag_ids": [archive.fandom.pk],
            "locked": True,
            "language": "de",
            "chapter": {"body": "<p>Words here.</p>"},
            "publish": True,
        },
    )
    assert posted.status_code == 201, posted.content
    story = Story.objects.get(pk=posted.json()["id"])
    assert story.locked and story.language == "de"
    edited = call(
        client,
        "put",
        f"/stories/{story.pk}",
        headers,
        {"title": "Renamed", "rating_id": archive.general.pk, "tag_ids": [archive.fandom.pk]},
    )
    assert edited.status_code == 200, edited.content
    story.refresh_from_db()
    assert story.title == "Renamed" and story.locked and story.language == "de"
    read = client.get(f"{API}/stories/{story.pk}", **bearer(author))
    assert read.json()["locked"] is True
    unlocked = call(
        client,
        "put",
        f"/stories/{story.pk}",
        headers,
        {
            "title": "Renamed",
            "rating_id": archive.general.pk,
            "tag_ids": [archive.fandom.pk],
            "locked": False,
        },
    )
    assert unlocked.status_code == 200
    story.refresh_from_db()
    assert not story.locked


def test_locking_is_independent_of_the_rating(author, archive, make_story):
    open_g = make_story(author, "Open G")
    locked_g = make_story(author, "Locked G", locked=True)
    members_r = make_story(author, "Members R", rating=archive.members_only)
    guest = AnonymousUser()
    assert set(listed_stories(guest)) == {open_g}
    assert [members_only(s) for s in (open_g, locked_g, members_r)] == [False, True, True]
    assert set(listed_stories(author)) == {open_g, locked_g, members_r}


def test_an_unknown_language_is_refused_by_the_action_and_nothing_changes(
    author, archive, make_story
):
    story = make_story(author, TITLE, language="fr")
    with pytest.raises(FieldRefused) as refused:
        actions.story_update(
            story=story, title="Changed", rating=archive.general, language="klingon"
        )
    assert refused.value.field == "language"
    assert "Choose a language from the list." in str(refused.value)
    story.refresh_from_db()
    assert story.title == TITLE and story.language == "fr"
    with pytest.raises(FieldRefused):
        actions.story_create(authors=[author], title="New", rating=archive.general, language="xx")
    assert not Story.objects.filter(title="New").exists()

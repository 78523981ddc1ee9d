"""The visibility rules, asked directly (the pages' own tests ask them through HTTP)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from fabula.stories import actions, permissions
from fabula.stories.models import Block, Chapter, Status, Story

GUEST = AnonymousUser()


def request_for(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session if session is not None else SessionStore()
    return request


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.HIDDEN])
def test_unpublished_story_is_seen_by_its_authors_and_moderators_only(
    make_story, author, coauthor, reader, other_author, moderator, status
):
    story = make_story(author, status=status, coauthors=[coauthor])
    for viewer in (GUEST, reader, other_author):
        assert not permissions.can_view_story(viewer, story)
        assert story not in permissions.listed_stories(viewer)
        with pytest.raises(Http404):
            permissions.check_view_story(viewer, story)
    for viewer in (author, coauthor, moderator):
        assert permissions.can_view_story(viewer, story)
    # Lists are for published work, whoever looks.
    assert story not in permissions.listed_stories(moderator)


def test_story_without_released_chapter_is_not_public(make_story, author, reader):
    story = make_story(author, chapters=0)
    assert not permissions.can_view_story(reader, story)
    assert story not in permissions.listed_stories(reader)


def test_registered_only_story_is_kept_from_guests_lists(make_story, author, reader, archive):
    story = make_story(author, rating=archive.members_only)
    assert story not in permissions.listed_stories(GUEST)
    assert story in permissions.listed_stories(reader)
    assert permissions.required_gate(request_for(GUEST), story) == "registered"
    assert permissions.required_gate(request_for(reader), story) is None


def test_scheduled_and_draft_chapters_are_hidden_from_readers(make_story, author, reader):
    story = make_story(author, chapters=1)
    actions.chapter_add(
        story=story,
        title="Later",
        body="<p>soon</p>",
        release_at=timezone.now() + timedelta(days=1),
    )
    actions.chapter_add(story=story, title="Draft", body="<p>wip</p>", status=Status.DRAFT)
    story.refresh_from_db()
    assert story.chapter_count == 1
    assert [c.title for c in permissions.visible_chapters(reader, story)] == ["Chapter 1"]
    assert len(permissions.visible_chapters(author, story)) == 3


def test_age_and_warning_gates_are_remembered_for_the_session(make_story, author, reader, archive):
    story = make_story(author, rating=archive.adult)
    request = request_for(GUEST)
    assert permissions.required_gate(request, story) == "age"
    permissions.pass_gate(request, story, "age")
    assert permissions.required_gate(request, story) is None
    assert permissions.required_gate(request_for(GUEST), story) == "age"  # a new session asks again


def test_member_age_preference_skips_the_age_question_not_the_warning(
    make_story, author, reader, archive
):
    story = make_story(author, rating=archive.adult)
    reader.age_consent = True
    request = request_for(reader)
    assert permissions.required_gate(request, story) == "warning"
    permissions.pass_gate(request, story, "warning")
    assert permissions.required_gate(request, story) is None
    assert permissions.required_gate(request_for(author), story) is None


def test_public_stories_are_published_with_a_released_chapter(make_story, author):
    public = make_story(author, "Public")
    empty = make_story(author, "Empty", chapters=0)
    draft = make_story(author, "Draft", status=Status.DRAFT)
    scheduled = make_story(author, "Scheduled", chapters=0)
    actions.chapter_add(
        story=scheduled,
        title="Soon",
        body="<p>soon</p>",
        release_at=timezone.now() + timedelta(days=1),
    )
    scheduled.refresh_from_db()
    assert list(Story.objects.public()) == [public]
    assert [s.is_public for s in (public, empty, draft, scheduled)] == [True, False, False, False]


def test_released_chapters_are_published_and_due(make_story, author):
    story = make_story(author, chapters=1, status=Status.DRAFT)
    now = timezone.now()
    soon = actions.chapter_add(
        story=story, title="Soon", body="<p>soon</p>", release_at=now + timedelta(hours=1)
    )
    draft = actions.chapter_add(story=story, title="Draft", body="<p>d</p>", status=Status.DRAFT)
    first = story.chapters.get(position=1)
    assert list(story.chapters.released(now)) == [first]
    assert list(story.chapters.released(now + timedelta(hours=2))) == [first, soon]
    assert list(Chapter.objects.due(now + timedelta(hours=2))) == [soon]
    assert [c.is_released(now) for c in (first, soon, draft)] == [True, False, False]
    # The story is a draft: its released chapters are not public.
    assert not first.is_public(now)


def test_story_for_refuses_a_draft_to_a_stranger_with_a_404(make_story, author, reader):
    draft = make_story(author, status=Status.DRAFT)
    with pytest.raises(Http404):
        permissions.story_for(request_for(reader), draft.pk)
    with pytest.raises(Http404):
        permissions.story_for(request_for(GUEST), draft.pk + 1000)
    assert permissions.story_for(request_for(author), draft.pk, load="credits") == draft


def test_story_for_refuses_what_the_page_needs_with_a_403(make_story, author, reader, archive):
    story = make_story(author, rating=archive.members_only)
    assert permissions.story_for(request_for(GUEST), story.pk) == story  # a gate page follows
    with pytest.raises(PermissionDenied):
        permissions.story_for(request_for(GUEST), story.pk, members=True)
    with pytest.raises(PermissionDenied):
        permissions.story_for(request_for(reader), story.pk, need=permissions.can_edit_story)
    loaded = permissions.story_for(
        request_for(author), story.pk, need=permissions.can_edit_story, load="credits"
    )
    assert loaded == story and loaded.rating == archive.members_only


def test_viewable_stories_add_a_members_own_work_to_the_listed(make_story, author, reader):
    public = make_story(author, "Public")
    draft = make_story(author, "Draft", status=Status.DRAFT)
    assert set(permissions.viewable_stories(GUEST)) == {public}
    assert set(permissions.viewable_stories(reader)) == {public}
    assert set(permissions.viewable_stories(author)) == {public, draft}
    assert list(permissions.unlisted_stories_of(author)) == [draft]


def test_hide_blocked_drops_blocked_stories_authors_and_tags(
    make_story, author, other_author, reader, archive
):
    plain = make_story(author, "Plain", tags=[archive.other_fandom])
    by_fox = make_story(other_author, "By Fox", tags=[archive.other_fandom])
    sub = make_story(author, "Sub", tags=[archive.subfandom])
    everything = Story.objects.all()
    assert set(permissions.hide_blocked(reader, everything)) == {plain, by_fox, sub}
    Block.objects.create(user=reader, author=other_author)
    Block.objects.create(user=reader, tag=archive.fandom)  # and the tags right under it
    assert set(permissions.hide_blocked(reader, everything)) == {plain}
    Block.objects.create(user=reader, story=plain)
    assert not permissions.hide_blocked(reader, everything).exists()
    assert set(permissions.hide_blocked(author, everything)) == {plain, by_fox, sub}


def test_moderated_stories_are_those_under_the_moderators_categories(
    make_story, author, moderator, reader, admin_user, archive
):
    office = make_story(author, "Office", tags=[archive.fandom])
    jim_and_pam = make_story(author, "Jim and Pam", tags=[archive.subfandom])
    parks = make_story(author, "Parks", tags=[archive.other_fandom])
    everything = {office, jim_and_pam, parks}
    assert set(permissions.moderated_stories(moderator)) == everything  # no categories: all
    assert set(permissions.moderated_stories(admin_user)) == everything
    assert not permissions.moderated_stories(reader).exists()
    moderator.moderated_categories.set([archive.fandom])
    mine = set(permissions.moderated_stories(moderator))
    assert mine == {office, jim_and_pam}  # a sub-category belongs to the category above
    assert mine == {s for s in everything if permissions.can_moderate_story(moderator, s)}

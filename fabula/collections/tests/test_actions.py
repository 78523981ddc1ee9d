"""Collections' actions and permissions: joining, invitations, approval, the reveal, sign-ups
and assignments; what an unrevealed or anonymous collection hides; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from fabula.audit.models import AuditEntry
from fabula.collections import actions
from fabula.collections.models import Assignment, Collection, CollectionItem, Signup
from fabula.collections.permissions import collection_works
from fabula.lib.refusals import ActionRefused
from fabula.notifications.models import Notification
from fabula.stories.models import Story
from fabula.stories.permissions import (
    can_view_story,
    credited_stories,
    listed_stories,
    viewable_stories,
)
from fabula.test import make_user


@pytest.fixture
def maintainer(db):
    return make_user("Keeper")


def _collection(maintainer, **extra) -> Collection:
    defaults = {"name": "winter-fest", "title": "Winter Fest"}
    return actions.collection_create(by=maintainer, **{**defaults, **extra})


def test_an_open_collection_takes_a_work_at_once(make_story, author, maintainer, reader):
    collection = _collection(maintainer)
    story = make_story(author, "Snowfall")
    item = actions.collection_add_work(collection=collection, story=story, by=author)
    assert item.approved
    assert list(collection_works(AnonymousUser(), collection)) == [story]
    assert AuditEntry.objects.filter(action="collection add work").exists()


def test_a_moderated_collection_waits_for_a_maintainer(make_story, author, maintainer):
    collection = _collection(maintainer, openness=Collection.Openness.MODERATED)
    story = make_story(author, "Snowfall")
    item = actions.collection_add_work(collection=collection, story=story, by=author)
    assert not item.approved
    assert not collection_works(AnonymousUser(), collection).exists()
    actions.collection_approve_item(item=item, by=maintainer)
    assert list(collection_works(AnonymousUser(), collection)) == [story]


def test_a_closed_collection_refuses_an_author_and_takes_an_invitation(
    make_story, author, maintainer
):
    collection = _collection(maintainer, openness=Collection.Openness.CLOSED)
    story = make_story(author, "Snowfall")
    with pytest.raises(ActionRefused, match="closed: only its maintainers may invite"):
        actions.collection_add_work(collection=collection, story=story, by=author)
    assert not CollectionItem.objects.exists()
    item = actions.collection_invite_work(collection=collection, story=story, by=maintainer)
    assert not item.approved
    actions.collection_add_work(collection=collection, story=story, by=author)  # accepts
    item.refresh_from_db()
    assert item.approved


def test_an_unrevealed_collection_hides_its_works_until_the_reveal(
    make_story, author, maintainer, reader, moderator
):
    collection = _collection(maintainer, unrevealed=True, anonymous=True)
    story = make_story(author, "Hidden Gift")
    actions.collection_add_work(collection=collection, story=story, by=author)
    story.refresh_from_db()
    assert story.unrevealed and story.anonymous
    guest = AnonymousUser()
    for viewer in (guest, reader):
        assert not can_view_story(viewer, story)
        assert story not in listed_stories(viewer)
        assert not collection_works(viewer, collection).exists()
    for viewer in (author, maintainer, moderator):
        assert can_view_story(viewer, story)
        assert story in viewable_stories(viewer)
        assert list(collection_works(viewer, collection)) == [story]
    actions.collection_reveal(collection=collection, by=maintainer, authors=False)
    story.refresh_from_db()
    assert not story.unrevealed and story.anonymous
    assert can_view_story(guest, story) and story in listed_stories(guest)
    assert not credited_stories(guest, listed_stories(guest), author).exists()
    assert credited_stories(author, listed_stories(author), author).exists()
    actions.collection_reveal(collection=collection, by=maintainer)
    story.refresh_from_db()
    assert not story.anonymous
    assert list(credited_stories(guest, listed_stories(guest), author)) == [story]
    assert AuditEntry.objects.filter(action="collection reveal").count() == 2


def test_a_reveal_with_nothing_to_reveal_is_refused(maintainer):
    collection = _collection(maintainer)
    with pytest.raises(ActionRefused, match="nothing left to reveal"):
        actions.collection_reveal(collection=collection, by=maintainer)
    assert not AuditEntry.objects.filter(action="collection reveal").exists()


def test_an_invitation_hides_nothing_until_accepted(make_story, author, maintainer):
    collection = _collection(maintainer, unrevealed=True)
    story = make_story(author, "Invited")
    actions.collection_invite_work(collection=collection, story=story, by=maintainer)
    story.refresh_from_db()
    assert not story.unrevealed


def test_leaving_the_collection_shows_the_work_again(make_story, author, maintainer):
    collection = _collection(maintainer, unrevealed=True)
    story = make_story(author, "Back Out")
    item = actions.collection_add_work(collection=collection, story=story, by=author)
    actions.collection_remove_item(item=item, by=author)
    assert Story.objects.get(pk=story.pk).is_public


# ---------------------------------------------------------------------------------------------
# Exchanges


def _exchange(maintainer, **extra) -> Collection:
    now = timezone.now()
    return _collection(
        maintainer,
        kind=Collection.Kind.EXCHANGE,
        unrevealed=True,
        anonymous=True,
        signup_closes=now + timedelta(days=7),
        deadline=now + timedelta(days=30),
        **extra,
    )


def test_sign_ups_are_matched_nobody_to_themselves(archive, maintainer):
    collection = _exchange(maintainer)
    members = [make_user(name) for name in ("Ash", "Birch", "Cedar")]
    wants = {
        "Ash": ([archive.jim], [archive.pam]),
        "Birch": ([archive.pam], [archive.angst]),
        "Cedar": ([archive.angst], [archive.jim]),
    }
    for member in members:
        offers, requests = wants[member.pen_name]
        actions.signup_create(collection=collection, user=member, offers=offers, requests=requests)
    made = actions.assignments_make(collection=collection, by=maintainer)
    pairs = {(a.giver.pen_name, a.recipient.pen_name) for a in made}
    # Each one's offer is another's request: the only perfect match is that cycle.
    assert pairs == {("Ash", "Cedar"), ("Birch", "Ash"), ("Cedar", "Birch")}
    assert all(a.overlap == 1 for a in made)
    with pytest.raises(ActionRefused, match="made already"):
        actions.assignments_make(collection=collection, by=maintainer)
    assert Assignment.objects.count() == 3


def test_a_sign_up_after_sign_ups_closed_is_refused(archive, maintainer, reader):
    collection = _exchange(maintainer)
    later = timezone.now() + timedelta(days=8)
    with pytest.raises(ActionRefused, match="Sign-ups for Winter Fest are closed"):
        actions.signup_create(
            collection=collection,
            user=reader,
            offers=[archive.jim],
            requests=[archive.pam],
            now=later,
        )
    assert not Signup.objects.exists()


def test_a_sign_up_needs_offers_and_requests(maintainer, reader, archive):
    collection = _exchange(maintainer)
    with pytest.raises(ActionRefused, match="Offer at least one"):
        actions.signup_create(collection=collection, user=reader, offers=[], requests=[archive.pam])
    assert not Signup.objects.exists()


def test_one_sign_up_cannot_be_matched(maintainer, reader, archive):
    collection = _exchange(maintainer)
    actions.signup_create(
        collection=collection, user=reader, offers=[archive.jim], requests=[archive.pam]
    )
    with pytest.raises(ActionRefused, match="at least two sign-ups"):
        actions.assignments_make(collection=collection, by=maintainer)
    assert not Assignment.objects.exists()


def test_a_gift_is_posted_into_the_unrevealed_exchange(make_story, archive, maintainer):
    collection = _exchange(maintainer)
    giver, recipient = make_user("Ash"), make_user("Birch")
    for member in (giver, recipient):
        actions.signup_create(
            collection=collection, user=member, offers=[archive.jim], requests=[archive.jim]
        )
    actions.assignments_make(collection=collection, by=maintainer)
    assignment = Assignment.objects.get(giver=giver)
    assert assignment.recipient == recipient
    story = make_story(giver, "For Birch")
    actions.gift_post(assignment=assignment, story=story, by=giver)
    story.refresh_from_db()
    assert story.unrevealed and story.anonymous
    assert list(collection_works(maintainer, collection)) == [story]
    assert not collection_works(recipient, collection).exists()
    gift = story.gifts.get()
    assert gift.recipient == recipient and gift.announced_at is None  # not told of it yet
    with pytest.raises(ActionRefused, match="posted your gift"):
        actions.gift_post(assignment=assignment, story=story, by=giver)
    actions.collection_reveal(collection=collection, by=maintainer)
    gift.refresh_from_db()
    assert gift.announced_at is not None  # told at the reveal
    note = Notification.objects.get(user=recipient, kind=Notification.Kind.GIFT)
    assert giver.pen_name not in note.text


def test_a_collection_name_is_taken_once(maintainer):
    _collection(maintainer)
    with pytest.raises(ActionRefused, match="already has that name"):
        _collection(maintainer, title="Other")
    assert Collection.objects.count() == 1

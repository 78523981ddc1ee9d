"""Who may see and do what in collections. Which stories anyone may read is still
`stories.permissions`: this module only names the collections' share of it (the maintainers'
unrevealed works, registered there by `apps.Config.ready`) and the collections' own rules."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from fabula.accounts.models import User
from fabula.collections.models import Assignment, Collection, CollectionItem
from fabula.stories.models import Status, Story
from fabula.stories.permissions import (
    Viewer,
    can_post,
    is_author,
    is_moderator,
    listed_stories,
    unrevealed_readable,
)


def maintained_stories(user: User) -> QuerySet[Story]:
    """The stories their authors put in collections this member maintains (registered with
    `stories.permissions.let_read_unrevealed`: maintainers read their unrevealed works)."""
    return Story.objects.filter(
        collection_items__collection__maintainers=user, collection_items__author_approved=True
    )


def is_maintainer(user: Viewer, collection: Collection) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return collection.maintainers.filter(pk=user.pk).exists()


def can_manage_collection(user: Viewer, collection: Collection) -> bool:
    """Maintainers run their collection (approve, invite, match, reveal); moderators may too."""
    return is_maintainer(user, collection) or (is_moderator(user) and user.is_active)


def can_create_collection(user: Viewer) -> bool:
    return can_post(user)


def can_offer_story(user: Viewer, story: Story) -> bool:
    """Only a story's authors put it in a collection or accept an invitation for it."""
    return bool(user.is_authenticated and user.is_active and is_author(user, story))


def collection_for(name: str) -> Collection:
    collection = Collection.objects.filter(name=name).first()
    if collection is None:
        raise Http404("No such collection.")
    return collection


def collection_works(user: Viewer, collection: Collection) -> QuerySet[Story]:
    """The works in the collection this reader may see: the listed ones, and for its authors,
    maintainers and moderators, the unrevealed ones too."""
    in_collection = Q(
        pk__in=CollectionItem.objects.filter(
            collection=collection, author_approved=True, collection_approved=True
        ).values("story_id")
    )
    if collection.challenge_id:  # a challenge's responses are its works too
        in_collection |= Q(challenges=collection.challenge_id)
    seen = Q(pk__in=listed_stories(user).values("pk"))
    if user.is_authenticated:
        out = Q(status=Status.PUBLISHED, chapter_count__gt=0)
        own = Q(pk__in=user.credits.values("story_id")) & out
        seen |= own | Q(pk__in=unrevealed_readable(user).values("pk"))
        if is_moderator(user):
            seen |= out
    return Story.objects.filter(seen, in_collection).distinct()


def waiting_items(user: Viewer, collection: Collection) -> QuerySet[CollectionItem]:
    """Items waiting for a maintainer (for maintainers) or for one of this member's yes."""
    items = CollectionItem.objects.filter(collection=collection).select_related("story")
    if can_manage_collection(user, collection):
        return items.filter(Q(collection_approved=False) | Q(author_approved=False))
    if not user.is_authenticated:
        return items.none()
    return items.filter(author_approved=False, story__credits__user=user)


def assignment_of(user: Viewer, collection: Collection) -> Assignment | None:
    if not user.is_authenticated:
        return None
    return (
        Assignment.objects.filter(collection=collection, giver=user)
        .select_related("recipient", "story")
        .first()
    )

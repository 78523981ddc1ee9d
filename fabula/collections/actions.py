"""Every write to collections: typed, keyword-only functions. Views check who asks (through
`collections.permissions`); these refuse what no one may do (`ActionRefused`, nothing
changed), keep the stories' `unrevealed` and `anonymous` flags, write the audit line and say
what changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from fabula.accounts.models import User
from fabula.audit.actions import audit_record
from fabula.collections import matching
from fabula.collections.models import Assignment, Collection, CollectionItem, Prompt, Signup
from fabula.lib.changes import changed
from fabula.lib.html import html_to_plain
from fabula.lib.refusals import ActionRefused, FieldRefused
from fabula.stories.actions import challenge_create, gift_give, gifts_announce
from fabula.stories.models import Challenge, Story
from fabula.taxonomy.models import Tag


def _refresh_story_flags(story_ids: Iterable[int]) -> None:
    """Set each story's `unrevealed` and `anonymous` from the collections its author put it in
    (an invitation not yet accepted hides nothing), and tell the archive."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    chosen = CollectionItem.objects.filter(story_id__in=ids, author_approved=True)
    hidden = set(chosen.filter(collection__unrevealed=True).values_list("story_id", flat=True))
    nameless = set(chosen.filter(collection__anonymous=True).values_list("story_id", flat=True))
    for story in Story.objects.filter(pk__in=ids).only("pk", "unrevealed", "anonymous"):
        flags = (story.pk in hidden, story.pk in nameless)
        if (story.unrevealed, story.anonymous) != flags:
            Story.objects.filter(pk=story.pk).update(unrevealed=flags[0], anonymous=flags[1])
    changed(stories=ids)


@transaction.atomic
def collection_create(
    *,
    by: User,
    name: str,
    title: str,
    summary: str = "",
    kind: str = Collection.Kind.COLLECTION,
    openness: str = Collection.Openness.OPEN,
    anonymous: bool = False,
    unrevealed: bool = False,
    signup_opens: datetime | None = None,
    signup_closes: datetime | None = None,
    deadline: datetime | None = None,
    prompts: Sequence[str] = (),
    challenge: Challenge | None = None,
) -> Collection:
    """A new collection, maintained by the member who made it. A challenge collection carries a
    challenge of the stories app (made here unless given), so the post form's "Answers the
    challenges", the API and the exports know it, and the stories answering it are its works."""
    name = name.strip().lower()
    if Collection.objects.filter(name=name).exists():
        raise FieldRefused(_("A collection already has that name; choose another."), "name")
    if not title.strip():
        raise FieldRefused(_("Give the collection a title."), "title")
    if signup_closes and deadline and deadline < signup_closes:
        raise FieldRefused(_("The deadline cannot come before sign-ups close."), "deadline")
    if kind == Collection.Kind.CHALLENGE and challenge is None:
        challenge = challenge_create(title=title, owner=by, summary=escape(summary))
    collection = Collection.objects.create(
        name=name,
        title=title.strip(),
        summary=summary.strip(),
        kind=kind,
        openness=openness,
        anonymous=anonymous,
        unrevealed=unrevealed,
        signup_opens=signup_opens,
        signup_closes=signup_closes,
        deadline=deadline,
        challenge=challenge,
    )
    if by is not None and by.pk:
        collection.maintainers.add(by)
    for position, prompt in enumerate(p.strip() for p in prompts):
        if prompt:
            Prompt.objects.create(collection=collection, title=prompt[:200], position=position)
    audit_record(by=by, action="collection create", target=collection)
    changed()
    return collection


@transaction.atomic
def challenge_collection(*, challenge: Challenge) -> Collection:
    """The collection carrying a challenge made without one (an eFiction import, the old
    challenge form): `challenge-<id>`, open, kept by the challenge's owner, whose one prompt is
    the challenge itself; its works are the stories answering it. Made once."""
    found = Collection.objects.filter(challenge=challenge).first()
    if found is not None:
        return found
    summary = html_to_plain(challenge.summary)
    collection = Collection.objects.create(
        name=f"challenge-{challenge.pk}",
        title=challenge.title,
        summary=summary,
        kind=Collection.Kind.CHALLENGE,
        challenge=challenge,
        created_at=challenge.created_at,
    )
    if challenge.owner_id:
        collection.maintainers.add(challenge.owner_id)
    Prompt.objects.create(collection=collection, title=challenge.title, description=summary)
    audit_record(by=None, action="collection from challenge", target=collection)
    changed()
    return collection


def _check_prompt(collection: Collection, prompt: Prompt | None) -> None:
    if prompt is not None and prompt.collection_id != collection.pk:
        raise FieldRefused(_("That prompt belongs to another collection."), "prompt")


@transaction.atomic
def collection_add_work(
    *,
    collection: Collection,
    story: Story,
    by: User,
    maintainer: bool = False,
    prompt: Prompt | None = None,
) -> CollectionItem:
    """An author puts their story in a collection: in at once if the collection is open (or
    the author maintains it), waiting for a maintainer if it is moderated; a closed collection
    takes only what its maintainers invite. Accepting an invitation is adding it too."""
    _check_prompt(collection, prompt)
    item = CollectionItem.objects.filter(collection=collection, story=story).first()
    if item is not None and item.author_approved:
        raise ActionRefused(_("This story is in that collection already."))
    if item is None and collection.openness == Collection.Openness.CLOSED and not maintainer:
        raise ActionRefused(
            _("%(title)s is closed: only its maintainers may invite works.")
            % {"title": collection.title}
        )
    if item is None:
        item = CollectionItem(collection=collection, story=story, added_by=by)
        item.collection_approved = maintainer or collection.openness == Collection.Openness.OPEN
    item.author_approved = True
    item.prompt = prompt or item.prompt
    item.save()
    audit_record(by=by, action="collection add work", target=item)
    _refresh_story_flags([story.pk])
    return item


@transaction.atomic
def collection_invite_work(*, collection: Collection, story: Story, by: User) -> CollectionItem:
    """A maintainer asks for a story; it is in once one of its authors accepts."""
    item, created = CollectionItem.objects.get_or_create(
        collection=collection, story=story, defaults={"added_by": by, "collection_approved": True}
    )
    if not created:
        if item.collection_approved:
            raise ActionRefused(_("That story is in the collection or invited already."))
        item.collection_approved = True
        item.save(update_fields=["collection_approved"])
    audit_record(by=by, action="collection invite work", target=item)
    _refresh_story_flags([story.pk])
    return item


@transaction.atomic
def collection_approve_item(*, item: CollectionItem, by: User) -> CollectionItem:
    """A maintainer lets a work offered to a moderated collection in."""
    if item.collection_approved:
        raise ActionRefused(_("That work is approved already."))
    item.collection_approved = True
    item.save(update_fields=["collection_approved"])
    audit_record(by=by, action="collection approve work", target=item)
    _refresh_story_flags([item.story_id])
    return item


@transaction.atomic
def collection_remove_item(*, item: CollectionItem, by: User) -> None:
    """The work leaves the collection (its author or a maintainer says so)."""
    story_id = item.story_id
    audit_record(by=by, action="collection remove work", target=item)
    Assignment.objects.filter(collection_id=item.collection_id, story_id=story_id).update(
        story=None
    )
    item.delete()
    _refresh_story_flags([story_id])


@transaction.atomic
def collection_reveal(
    *, collection: Collection, by: User, works: bool = True, authors: bool = True
) -> Collection:
    """The maintainers reveal the works (they show in every list, feed and search) and/or
    their authors (their names replace "Anonymous" everywhere)."""
    if not (works and collection.unrevealed) and not (authors and collection.anonymous):
        raise ActionRefused(_("There is nothing left to reveal in this collection."))
    fields = []
    if works and collection.unrevealed:
        collection.unrevealed = False
        fields.append("unrevealed")
    if authors and collection.anonymous:
        collection.anonymous = False
        fields.append("anonymous")
    collection.save(update_fields=fields)
    audit_record(
        by=by,
        action="collection reveal",
        target=collection,
        reason=_("revealed: %(what)s") % {"what": ", ".join(fields)},
    )
    story_ids = list(collection.items.values_list("story_id", flat=True))
    _refresh_story_flags(story_ids)
    # The recipients of the exchange's gifts hear of them now that they can open them.
    for story in Story.objects.filter(pk__in=story_ids, gifts__isnull=False).distinct():
        gifts_announce(story=story, by=by)
    return collection


# ---------------------------------------------------------------------------------------------
# Gift exchanges


@transaction.atomic
def signup_create(
    *,
    collection: Collection,
    user: User,
    offers: Sequence[Tag],
    requests: Sequence[Tag],
    notes: str = "",
    now: datetime | None = None,
) -> Signup:
    """A member signs up to an exchange while sign-ups are open (signing up again replaces
    their offers and requests)."""
    now = now or timezone.now()
    if not collection.is_exchange:
        raise ActionRefused(_("%(title)s is not a gift exchange.") % {"title": collection.title})
    if collection.signup_opens and now < collection.signup_opens:
        raise ActionRefused(
            _("Sign-ups for %(title)s open on %(when)s.")
            % {"title": collection.title, "when": date_format(collection.signup_opens)}
        )
    if (collection.signup_closes and now >= collection.signup_closes) or (
        collection.assignments.exists()
    ):
        raise ActionRefused(_("Sign-ups for %(title)s are closed.") % {"title": collection.title})
    if not offers:
        raise FieldRefused(_("Offer at least one tag you would write for."), "offers")
    if not requests:
        raise FieldRefused(_("Request at least one tag you would like to read."), "requests")
    signup, _created = Signup.objects.update_or_create(
        collection=collection, user=user, defaults={"notes": notes.strip()}
    )
    signup.offers.set(offers)
    signup.requests.set(requests)
    audit_record(by=user, action="exchange sign up", target=signup)
    return signup


@transaction.atomic
def assignments_make(*, collection: Collection, by: User) -> list[Assignment]:
    """Match the exchange's sign-ups (`matching.match`) and record who writes for whom."""
    if not collection.is_exchange:
        raise ActionRefused(_("%(title)s is not a gift exchange.") % {"title": collection.title})
    if collection.assignments.exists():
        raise ActionRefused(_("The assignments are made already."))
    signups = list(
        collection.signups.order_by("created_at", "pk").prefetch_related("offers", "requests")
    )
    if len(signups) < 2:
        raise ActionRefused(_("An exchange needs at least two sign-ups to match."))
    participants = [
        matching.Participant(
            key=signup.user_id,
            offers=frozenset(tag.pk for tag in signup.offers.all()),
            requests=frozenset(tag.pk for tag in signup.requests.all()),
        )
        for signup in signups
    ]
    made = [
        Assignment.objects.create(
            collection=collection,
            giver_id=found.giver,
            recipient_id=found.recipient,
            overlap=found.overlap,
        )
        for found in matching.match(participants)
    ]
    audit_record(
        by=by,
        action="exchange match",
        target=collection,
        reason=_("%(count)d assignments, overlap %(total)d")
        % {"count": len(made), "total": sum(a.overlap for a in made)},
    )
    return made


@transaction.atomic
def gift_post(*, assignment: Assignment, story: Story, by: User) -> CollectionItem:
    """The giver puts their story in the exchange as the gift for their assignment."""
    if assignment.story_id is not None:
        raise ActionRefused(_("You have posted your gift for this assignment already."))
    collection = assignment.collection
    if collection.deadline and timezone.now() > collection.deadline:
        raise ActionRefused(
            _("The deadline of %(title)s has passed.") % {"title": collection.title}
        )
    item = CollectionItem.objects.filter(collection=collection, story=story).first()
    if item is None or not item.author_approved:
        item = collection_add_work(collection=collection, story=story, by=by, maintainer=True)
    elif not item.collection_approved:  # the gift was assigned: no maintainer need approve it
        item.collection_approved = True
        item.save(update_fields=["collection_approved"])
    # The story is a gift to the recipient, who is told once it can be read (at the reveal).
    story.refresh_from_db(fields=["unrevealed", "anonymous"])
    gift_give(story=story, recipient=assignment.recipient, by=by)
    assignment.story = story
    assignment.save(update_fields=["story"])
    audit_record(by=by, action="exchange gift", target=assignment)
    return item

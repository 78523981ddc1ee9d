"""Co-authors: invite a member, who accepts or declines; take a credit off."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from fabula.accounts.models import Pseud, User
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused
from fabula.notifications.actions import notify
from fabula.notifications.models import Notification
from fabula.stories.actions.pseuds import signing_pseud
from fabula.stories.models import (
    CoauthorInvite,
    Story,
    StoryAuthor,
)


@transaction.atomic
def coauthor_invite(*, story: Story, user: User, by: User) -> CoauthorInvite:
    if story.credits.filter(user=user).exists():
        raise ActionRefused(
            _("%(pen_name)s is already an author of this story.") % {"pen_name": user.pen_name}
        )
    invite, created = CoauthorInvite.objects.get_or_create(
        story=story, user=user, defaults={"invited_by": by}
    )
    if created:
        notify(
            [user],
            kind=Notification.Kind.COAUTHOR,
            text=f"{by.pen_name} invites you to co-author “{story.title}”.",
            url=reverse("stories:mine"),
            story=story,
            actor=by,
            detail=f"{by.pen_name} would like to credit you as a co-author. Accept or decline "
            "on your “My stories” page.",
        )
    return invite


@transaction.atomic
def coauthor_accept(*, invite: CoauthorInvite, pseud: Pseud | int | None = None) -> StoryAuthor:
    """The invited member joins the story's credits, signed with their own `pseud` (None:
    their default)."""
    story = invite.story
    signed = signing_pseud(invite.user, pseud)
    position = (story.credits.aggregate(p=Max("position"))["p"] or 0) + 1
    credit, _ = StoryAuthor.objects.get_or_create(
        story=story, user=invite.user, defaults={"position": position, "pseud": signed}
    )
    invite.delete()
    changed(story=story)
    return credit


def coauthor_decline(*, invite: CoauthorInvite) -> None:
    invite.delete()


@transaction.atomic
def coauthor_remove(*, story: Story, user: User) -> None:
    """Take a co-author's credit off a story (the main author stays)."""
    credits = list(story.credits.order_by("position"))
    if credits and credits[0].user_id == user.pk:
        raise ActionRefused(_("The main author cannot be removed; delete the story instead."))
    story.credits.filter(user=user).delete()
    changed(story=story)


@transaction.atomic
def credit_sign(*, story: Story, user: User, pseud: Pseud | int) -> StoryAuthor:
    """`user` signs their credit on `story` with another of their own pseuds."""
    credit = story.credits.filter(user=user).first()
    if credit is None:
        raise ActionRefused("You are not an author of this story.")
    credit.pseud = signing_pseud(user, pseud)
    credit.save(update_fields=["pseud"])
    changed(story=story)
    return credit


# ---------------------------------------------------------------------------------------------
# Series and challenges

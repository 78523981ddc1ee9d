"""Gifts: a story given to a member or to a plain name; the member hears of it and may refuse.

`gift_give` is the one way a gift is made (the post and edit forms through `story_set_gifts`,
an exchange's assignment directly); `gift_refuse` the recipient's answer. A member hears of a
gift once the story is public (at once, or when `gifts_announce` runs as it is published), so
nobody is told of a draft they cannot open.

A name that is a member's pen name (in any case) gives the story to that member; any other name
is kept as a plain name (someone not on this site), as AO3 does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fabula.accounts.models import User
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused, FieldRefused
from fabula.lib.words import tidy_title
from fabula.notifications.actions import notify
from fabula.notifications.models import Notification
from fabula.stories.models import Gift, Story

GIFT_FIELD = "gifts"  # the form field a refusal names
GIFT_NAME_LENGTH = cast(int, Gift._meta.get_field("name").max_length)
GIFTS_MOST = 20  # recipients of one story


def member_named(name: str) -> User | None:
    """The active member with this pen name (any case), or None: the name stays a plain name."""
    return User.objects.filter(pen_name__iexact=name, is_active=True).first()


@transaction.atomic
def gift_give(
    *, story: Story, recipient: User | None = None, name: str = "", by: User | None = None
) -> Gift:
    """Give `story` to a member (`recipient`, or the member whose pen name `name` is) or to a
    plain `name`. Giving it again to the same one changes nothing. Refused: a gift to one of
    the story's own authors, to a member who refused it before, an empty or too long name."""
    name = tidy_title(name)
    if recipient is None:
        if not name:
            raise FieldRefused(_("Name who the story is for."), GIFT_FIELD)
        if len(name) > GIFT_NAME_LENGTH:
            raise FieldRefused(
                _("“%(name)s…” is too long for a name (at most %(GIFT_NAME_LENGTH)s characters).")
                % {"name": name[:40], "GIFT_NAME_LENGTH": GIFT_NAME_LENGTH},
                GIFT_FIELD,
            )
        recipient = member_named(name)
    if recipient is not None:
        if story.credits.filter(user=recipient).exists():
            raise FieldRefused(
                _("%(pen_name)s is an author of this story: a gift is for someone else.")
                % {"pen_name": recipient.pen_name},
                GIFT_FIELD,
            )
        gift, made = Gift.objects.get_or_create(story=story, recipient=recipient)
        if gift.refused_at is not None:
            raise FieldRefused(
                _("%(pen_name)s refused this story as a gift: it cannot be given again.")
                % {"pen_name": recipient.pen_name},
                GIFT_FIELD,
            )
    else:
        gift, made = Gift.objects.get_or_create(story=story, recipient=None, name=name)
    if made:
        gifts_announce(story=story, by=by)
        changed(story=story)
    return gift


@transaction.atomic
def story_set_gifts(*, story: Story, names: Sequence[str], by: User | None = None) -> list[Gift]:
    """The story is for exactly these names from now on (the post and edit forms): new ones
    are given, the others taken back. A refusal of any name changes nothing."""
    wanted: dict[str, str] = {}
    for raw in names:
        name = tidy_title(raw)
        if name:
            wanted.setdefault(name.casefold(), name)
    if len(wanted) > GIFTS_MOST:
        raise FieldRefused(
            _("A story can be a gift to at most %(GIFTS_MOST)s people.")
            % {"GIFTS_MOST": GIFTS_MOST},
            GIFT_FIELD,
        )
    gifts = [gift_give(story=story, name=name, by=by) for name in wanted.values()]
    kept = {gift.pk for gift in gifts}
    gone = story.gifts.filter(refused_at__isnull=True).exclude(pk__in=kept)
    if gone.exists():
        gone.delete()
        changed(story=story)
    return gifts


def gifts_announce(*, story: Story, by: User | None = None) -> int:
    """Tell the members the story is for, once it is public and if they were not told yet;
    returns how many heard. Called when a gift is made and when the story is published."""
    if not story.is_public:
        return 0
    waiting = list(
        story.gifts.filter(
            recipient__isnull=False, refused_at__isnull=True, announced_at__isnull=True
        ).select_related("recipient")
    )
    if not waiting:
        return 0
    Gift.objects.filter(pk__in=[gift.pk for gift in waiting]).update(announced_at=timezone.now())
    told = notify(
        [cast(User, gift.recipient) for gift in waiting],
        kind=Notification.Kind.GIFT,
        text=f"“{story.title}” is a gift for you.",
        url=story.get_absolute_url(),
        story=story,
        actor=by,
        detail="Its author wrote it for you. If you would rather not have it, refuse it on your "
        "Gifts page (from your author page).",
    )
    return len(told)


@transaction.atomic
def gift_refuse(*, gift: Gift, by: User) -> None:
    """The recipient does not want the gift: it leaves the story's page and their Gifts page,
    and cannot be given to them again."""
    if gift.recipient_id != by.pk:
        raise ActionRefused(_("Only the member a story is given to can refuse it."))
    if gift.refused_at is not None:
        return
    gift.refused_at = timezone.now()
    gift.save(update_fields=["refused_at"])
    changed(story=gift.story_id)

"""A member leaves: the workflow that spans accounts and stories.

It sits here, above both, because it decides what becomes of a member's stories (deleted, or
passed to the co-authors or to the Orphan Account) before the account itself goes; `accounts`
knows nothing of stories.
"""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.utils.translation import gettext as _

from fabula.accounts.actions import orphan_account
from fabula.accounts.models import User
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused
from fabula.stories.actions.pseuds import default_pseud
from fabula.stories.actions.stories import story_delete
from fabula.stories.models import Chapter, Series, Story, StoryAuthor


@transaction.atomic
def account_delete(*, user: User, stories: Literal["delete", "orphan"]) -> None:
    """Remove a member. Stories they share keep going under the other authors; stories that are
    theirs alone are deleted or handed to the Orphan Account, as the member chose."""
    if stories not in ("delete", "orphan"):
        raise ActionRefused(
            _("Choose whether to delete your stories or leave them to the archive.")
        )
    orphan = orphan_account() if stories == "orphan" else None
    for story in Story.objects.filter(credits__user=user).distinct():
        others = list(story.credits.exclude(user=user).order_by("position"))
        if others:
            story.credits.filter(user=user).delete()
            for position, credit in enumerate(others):
                StoryAuthor.objects.filter(pk=credit.pk).update(position=position)
            Chapter.objects.filter(story=story, author=user).update(author=others[0].user)
        elif orphan is None:
            story_delete(story=story)
        else:
            story.credits.filter(user=user).update(user=orphan, pseud=default_pseud(orphan))
            Chapter.objects.filter(story=story, author=user).update(author=orphan)
    # Chapters written for others' stories (round robins) stay, under the Orphan Account.
    if Chapter.objects.filter(author=user).exists():
        keeper = orphan or orphan_account()
        Chapter.objects.filter(author=user).update(author=keeper)
    if Series.objects.filter(owner=user).exists():
        keeper = orphan or orphan_account()
        Series.objects.filter(owner=user).update(owner=keeper)
    user.delete()
    changed()

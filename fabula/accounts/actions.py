"""Every write to members: joining, profile, preferences, leaving.

Staff actions on members (lock, ban) are in `fabula.moderation.actions`.
"""

from __future__ import annotations

from typing import Literal

from django.db import transaction

from fabula.accounts.models import User
from fabula.lib.html import sanitize
from fabula.lib.pagecache import content_changed
from fabula.lib.refusals import ActionRefused
from fabula.lib.words import tidy_title

ORPHAN_PEN_NAME = "Orphan Account"


def member_register(*, pen_name: str, email: str, password: str) -> User:
    pen_name = tidy_title(pen_name)
    if User.objects.filter(pen_name__iexact=pen_name).exists():
        raise ActionRefused(f"The pen name “{pen_name}” is taken.")
    return User.objects.create_user(pen_name, email, password)


def profile_update(*, user: User, real_name: str, email: str, bio: str, website: str) -> None:
    user.real_name = real_name.strip()
    user.email = User.objects.normalize_email(email.strip())
    user.bio = sanitize(bio)
    user.website = website.strip()
    user.save(update_fields=["real_name", "email", "bio", "website"])
    content_changed()  # the author page shows the profile


def preferences_update(
    *,
    user: User,
    age_consent: bool,
    theme: str,
    text_size: int,
    default_sort: str,
    email_alerts: bool,
) -> None:
    user.age_consent, user.theme, user.text_size = age_consent, theme, text_size
    user.default_sort, user.email_alerts = default_sort, email_alerts
    user.save(update_fields=["age_consent", "theme", "text_size", "default_sort", "email_alerts"])


def orphan_account() -> User:
    """The member that keeps stories whose authors left them to the archive. Nobody can log in
    as it."""
    orphan = User.objects.filter(pen_name__iexact=ORPHAN_PEN_NAME).first()
    if orphan is None:
        orphan = User.objects.create_user(ORPHAN_PEN_NAME, "", None)  # unusable password
    return orphan


@transaction.atomic
def account_delete(*, user: User, stories: Literal["delete", "orphan"]) -> None:
    """Remove a member. Stories they share keep going under the other authors; stories that are
    theirs alone are deleted or handed to the Orphan account, as the member chose."""
    from fabula.stories.actions import story_delete
    from fabula.stories.models import Chapter, Series, Story, StoryAuthor

    if stories not in ("delete", "orphan"):
        raise ActionRefused("Choose whether to delete your stories or leave them to the archive.")
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
            story.credits.filter(user=user).update(user=orphan)
            Chapter.objects.filter(story=story, author=user).update(author=orphan)
    # Chapters written for others' stories (round robins) stay, under the Orphan account.
    if Chapter.objects.filter(author=user).exists():
        keeper = orphan or orphan_account()
        Chapter.objects.filter(author=user).update(author=keeper)
    if Series.objects.filter(owner=user).exists():
        keeper = orphan or orphan_account()
        Series.objects.filter(owner=user).update(owner=keeper)
    user.delete()
    content_changed()

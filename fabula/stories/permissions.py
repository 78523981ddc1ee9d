"""Who may see which story: the archive's most sensitive rule, in one place.

Checks that answer a single story (`can_view_story`, `check_view_story`, `required_gate`) sit
beside the querysets that filter many (`listed_stories`, `visible_chapters`). Every page, list,
feed, export and legacy URL goes through them.

- A story is public when it is published and has at least one released chapter.
- Drafts, stories awaiting validation and stories hidden by staff are seen only by their authors
  and by moderators; everyone else gets a 404, as if they did not exist.
- A registered-only rating keeps a story out of guests' lists and behind a login gate.
- Age-consent and warning ratings let a story be listed, but put a gate before its text.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fabula.accounts.models import User
from fabula.stories.models import Chapter, Status, Story

Viewer = User | AnonymousUser
Gate = Literal["registered", "age", "warning"]


def is_moderator(user: Viewer) -> bool:
    return user.is_authenticated and user.is_moderator


def is_author(user: Viewer, story: Story) -> bool:
    if not user.is_authenticated:
        return False
    return any(credit.user_id == user.pk for credit in story.credits.all())


def listed_stories(user: Viewer) -> QuerySet[Story]:
    """Stories that may appear in lists, counts and feeds for this reader."""
    stories = Story.objects.filter(status=Status.PUBLISHED, chapter_count__gt=0)
    if not user.is_authenticated:
        stories = stories.filter(rating__registered_only=False)
    return stories


def can_view_story(user: Viewer, story: Story) -> bool:
    """May this reader open the story (a gate may still stand before its text)?"""
    if story.status == Status.PUBLISHED and story.chapter_count > 0:
        return True
    return is_moderator(user) or is_author(user, story)


def check_view_story(user: Viewer, story: Story) -> None:
    if not can_view_story(user, story):
        raise Http404("No such story.")


def visible_chapters(user: Viewer, story: Story) -> QuerySet[Chapter]:
    """The chapters this reader may read, in order. Authors and moderators see them all."""
    chapters = story.chapters.order_by("position")
    if is_moderator(user) or is_author(user, story):
        return chapters
    return chapters.filter(status=Status.PUBLISHED).filter(
        Q(release_at__isnull=True) | Q(release_at__lte=timezone.now())
    )


def required_gate(request, story: Story) -> Gate | None:
    """The gate a reader must pass before the story's text, or None.

    Consent and warnings are remembered for the session (a member's age-consent preference
    counts too); the authors and moderators never see a gate.
    """
    user = request.user
    rating = story.rating
    if not (rating.registered_only or rating.age_consent or rating.warning):
        return None
    if is_moderator(user) or is_author(user, story):
        return None
    if rating.registered_only and not user.is_authenticated:
        return "registered"
    session = getattr(request, "session", None) or {}
    if rating.age_consent and not (
        (user.is_authenticated and user.age_consent) or session.get("age_consent")
    ):
        return "age"
    if rating.warning and rating.pk not in session.get("warned_ratings", []):
        return "warning"
    return None


def pass_gate(request, story: Story, gate: Gate) -> None:
    """Remember for this session that the reader answered a gate."""
    if gate == "age":
        request.session["age_consent"] = True
        if story.rating.warning:  # eFiction's age link answers the warning too
            gate = "warning"
    if gate == "warning":
        warned = list(request.session.get("warned_ratings", []))
        if story.rating_id not in warned:
            request.session["warned_ratings"] = [*warned, story.rating_id]

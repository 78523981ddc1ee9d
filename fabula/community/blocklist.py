"""A member's blocklist applied to story lists (called by `stories.permissions.listed_stories`).

The filter is pure SQL (subqueries on the member's blocks), so a list costs no extra query
whether or not the member blocked anything.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fabula.community.models import Block
from fabula.stories.models import StoryAuthor, StoryTag


def hide_blocked(user, stories: QuerySet) -> QuerySet:
    """Drop stories the member blocked, stories by blocked authors, and stories with a blocked
    tag or a tag right under one (a blocked fandom hides its sub-areas)."""
    blocks = Block.objects.filter(user_id=user.pk)
    blocked_tags = blocks.filter(tag__isnull=False).values("tag_id")
    by_blocked_authors = StoryAuthor.objects.filter(
        user_id__in=blocks.filter(author__isnull=False).values("author_id")
    ).values("story_id")
    with_blocked_tags = StoryTag.objects.filter(
        Q(tag_id__in=blocked_tags) | Q(tag__parent_id__in=blocked_tags)
    ).values("story_id")
    return stories.exclude(
        Q(pk__in=blocks.filter(story__isnull=False).values("story_id"))
        | Q(pk__in=by_blocked_authors)
        | Q(pk__in=with_blocked_tags)
    )

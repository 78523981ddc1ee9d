"""Merging tags: the wrangling action that moves stories (the others, which touch only tags, are
in `taxonomy.actions`)."""

from __future__ import annotations

from django.db import transaction

from fabula.audit.actions import audit_record
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused
from fabula.stories.models import StoryTag
from fabula.taxonomy.actions import join_as_synonym, synonym_refusal
from fabula.taxonomy.models import Tag


def tag_merge(*, tag: Tag, into: Tag, by) -> int:
    """Every story filed under `tag` is filed under `into` instead, and `tag` becomes a synonym
    of `into` (so authors who type it still file under `into`). Returns how many stories moved."""
    refusal = synonym_refusal(tag=tag, of=into)
    if refusal:
        raise ActionRefused(refusal)
    with transaction.atomic():
        filings = StoryTag.objects.filter(tag=tag)
        moved = list(filings.values_list("story_id", flat=True))
        # A story filed under both keeps its filing under `into` (and its place in the list).
        filings.filter(story__story_tags__tag=into).delete()
        filings.update(tag=into)
        join_as_synonym(tag=tag, of=into)
        audit_record(
            by=by, action="tag-merge", target=tag, reason=f"into “{into}”, {len(moved)} stories"
        )
        changed(stories=moved)
    return len(moved)

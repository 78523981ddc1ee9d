"""Posting a new story: the workflow behind the "Post a story" page, in one transaction.

The story is made as a draft with its first chapter, co-authors are invited, it joins a series
if asked, and it is submitted (published, or sent to the queue) if the author chose to publish.
Each step is an action of its own; this one only strings them together with the one rule they
share (a closed series refuses the story), so a refusal anywhere leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from fabula.accounts.models import Pseud, User
from fabula.lib.refusals import ActionRefused
from fabula.stories.actions.chapters import chapter_post
from fabula.stories.actions.coauthors import coauthor_invite
from fabula.stories.actions.gifts import story_set_gifts
from fabula.stories.actions.pseuds import signing_pseud
from fabula.stories.actions.relations import relation_add
from fabula.stories.actions.series import series_add_work
from fabula.stories.actions.stories import story_create, story_submit
from fabula.stories.models import Challenge, Series, Status, Story
from fabula.stories.permissions import can_add_to_series
from fabula.taxonomy.actions import freeform_tags
from fabula.taxonomy.models import Rating, Tag


@transaction.atomic
def story_post(
    *,
    by: User,
    title: str,
    rating: Rating,
    chapter_title: str,
    body: str,
    summary: str = "",
    notes: str = "",
    tags: Sequence[Tag] = (),
    freeform: Sequence[str] = (),
    completed: bool = False,
    reading_only: bool = False,
    locked: bool = False,
    challenges: Sequence[Challenge] = (),
    language: str = "en",
    chapter_notes: str = "",
    end_notes: str = "",
    release_at: datetime | None = None,
    coauthors: Sequence[User] = (),
    series: Series | None = None,
    gifts: Sequence[str] = (),
    relation_kind: str = "",
    relation_to: str = "",
    relation_title: str = "",
    publish: bool = False,
    pseud: Pseud | int | None = None,
) -> Story:
    """`by` posts a story with its first chapter. `freeform` names free-form tags (made the first
    time they are used); `gifts` names who it is for (`story_set_gifts`), `relation_*` a related
    work (`relation_add`); `publish` submits it at once, else it stays a draft. The story's
    `status` tells which: draft, pending (waits for staff) or published. `by` signs it with
    `pseud` (one of theirs; None: their default)."""
    story = story_create(
        authors=[signing_pseud(by, pseud)],
        title=title,
        rating=rating,
        summary=summary,
        notes=notes,
        tags=[*tags, *freeform_tags(names=freeform)],
        completed=completed,
        reading_only=reading_only,
        locked=locked,
        status=Status.DRAFT,
        challenges=challenges,
        language=language,
    )
    chapter_post(
        story=story,
        by=by,
        title=chapter_title,
        body=body,
        notes=chapter_notes,
        end_notes=end_notes,
        release_at=release_at,
    )
    for coauthor in coauthors:
        coauthor_invite(story=story, user=coauthor, by=by)
    if series is not None:
        if not can_add_to_series(by, series):
            raise ActionRefused(_("That series is closed to your stories."))
        series_add_work(series=series, story=story, by=by)
    if gifts:
        story_set_gifts(story=story, names=gifts, by=by)
    if relation_kind or relation_to:
        relation_add(story=story, kind=relation_kind, to=relation_to, title=relation_title, by=by)
    if publish:
        story_submit(story=story, by=by)
    return story

"""Writes an import needs below the stories: the site's settings, ratings, tag kinds and tags
with their old numbers, members with their old ids and password hashes, and challenges.

They differ from the everyday actions in keeping what the old archive had (ids, numbers,
encoded passwords) and in skipping the checks a member's edit goes through. Stories and chapters
are written by `stories.actions` (`stories_import`, `chapters_import`); reviews, favourites,
kudos and subscriptions by `community.actions` (`reviews_import` ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from fabula.accounts.models import Pseud, User
from fabula.collections.actions import challenge_collection
from fabula.conf.actions import site_settings_update
from fabula.conf.markup import sanitize
from fabula.conf.models import SiteSettings
from fabula.importers.models import ImportRecord
from fabula.lib.changes import changed
from fabula.lib.db import insert, insert_rows, keep_ids_ahead
from fabula.stories.models import Challenge, Gift, StoryRelation
from fabula.taxonomy.actions import tag_number
from fabula.taxonomy.models import Rating, Tag, TagKind

SETTINGS_FIELDS = (
    "site_name",
    "slogan",
    "site_url",
    "legacy_prefix",
    "date_format",
    "items_per_page",
    "extend_categories",
    "new_story_days",
    "reviews_allowed",
    "anonymous_reviews",
    "auto_validate",
    "submissions_open",
    "welcome",
    "footer",
    "printer_copyright",
    "terms",
    "age_statement",
    "review_ratings",
    "authors_delete_reviews",
)


def import_records_add(*, source: str, records: Iterable[tuple[str, str, int | None]]) -> None:
    """Remember what an import has written: (kind, key in the dump, new row id), in one
    statement (an import writes tens of thousands)."""
    now = timezone.now()
    insert_rows(
        ImportRecord,
        ("source", "kind", "key", "new_id", "created_at"),
        [(source, kind, key, new_id, now) for kind, key, new_id in records],
    )


def import_records_forget(*, source: str, kind: str, keys: Iterable[str]) -> None:
    """Forget these records, so that a rerun does that part again."""
    ImportRecord.objects.filter(source=source, kind=kind, key__in=list(keys)).delete()


# Settings the pages print as HTML: an old archive's copy is cleaned like any member's HTML.
HTML_SETTINGS = {"welcome", "footer", "printer_copyright"}


def site_settings_import(*, values: dict) -> SiteSettings:
    """Take the settings named in `values` (any of SETTINGS_FIELDS); others stay as they are."""
    return site_settings_update(
        values={
            field: sanitize(values[field]) if field in HTML_SETTINGS else values[field]
            for field in SETTINGS_FIELDS
            if values.get(field) is not None and hasattr(SiteSettings, field)
        }
    )


def rating_import(
    *,
    rating_id: int | None,
    name: str,
    order: int = 0,
    registered_only=False,
    age_consent=False,
    warning=False,
    warning_text: str = "",
    description: str = "",
) -> Rating:
    rating = Rating.objects.create(
        id=rating_id,
        name=name,
        order=order,
        registered_only=registered_only,
        age_consent=age_consent,
        warning=warning,
        warning_text=warning_text,
        description=description,
    )
    if rating_id is not None:
        keep_ids_ahead(Rating)
    return rating


def tag_kind_import(
    *,
    slug: str,
    name: str,
    role: str,
    legacy_id: int | None,
    order: int = 0,
    multiple: bool = True,
    required: bool = False,
) -> TagKind:
    return TagKind.objects.create(
        slug=slug,
        name=name,
        role=role,
        legacy_id=legacy_id,
        order=order,
        multiple=multiple,
        required=required,
    )


def tag_import(
    *,
    kind: TagKind,
    name: str,
    legacy_id: int | None,
    parent: Tag | None = None,
    description: str = "",
    locked: bool = False,
    order: int = 0,
) -> Tag:
    tag = Tag(
        kind=kind,
        name=name,
        legacy_id=legacy_id,
        parent=parent,
        description=sanitize(description),
        locked=locked,
        order=order,
    )
    tag_number(tag=tag)  # a tag without an old number gets one, so old-style links can name it
    tag.save()
    changed()
    return tag


def members_import(*, members: list[User], pseuds: list[Pseud] | None = None) -> None:
    """Write members with their ids and their password hashes as they are (already encoded),
    and their pseuds (their user ids set; one default each). Without `pseuds`, each member
    signs with one, the default: their pen name (as an eFiction member did)."""
    insert(members)
    keep_ids_ahead(User)
    if pseuds is None:
        pseuds = [Pseud(user_id=m.pk, name=m.pen_name, is_default=True) for m in members]
    insert(pseuds)


def challenge_import(
    *,
    challenge_id: int | None,
    title: str,
    summary: str = "",
    owner: User | None = None,
    challenger: str = "",
    tags: Iterable[Tag] = (),
) -> Challenge:
    challenge = Challenge.objects.create(
        id=challenge_id,
        title=title,
        summary=sanitize(summary),
        owner=owner,
        challenger=challenger,
    )
    if challenge_id is not None:
        keep_ids_ahead(Challenge)
    challenge.tags.set(list(tags))
    challenge_collection(challenge=challenge)  # its page: a challenge collection
    return challenge


def tag_set_synonym(*, tag: Tag, synonym_of: Tag) -> None:
    Tag.objects.filter(pk=tag.pk).update(synonym_of=synonym_of)
    changed()


def gift_import(
    *,
    story_id: int,
    recipient_id: int | None,
    name: str = "",
    refused_at: datetime | None = None,
    announced_at: datetime | None = None,
    created_at: datetime | None = None,
) -> Gift:
    """A gift as the archive had it: nobody is told again (the recipient heard of it then)."""
    return Gift.objects.create(
        story_id=story_id,
        recipient_id=recipient_id,
        name="" if recipient_id else name,
        refused_at=refused_at,
        announced_at=announced_at,
        created_at=created_at or timezone.now(),
    )


def relation_import(
    *,
    story_id: int,
    kind: str,
    original_id: int | None,
    url: str = "",
    title: str = "",
    answer: str = StoryRelation.Answer.WAITING,
    announced_at: datetime | None = None,
    answered_at: datetime | None = None,
    created_at: datetime | None = None,
) -> StoryRelation:
    """A related work with the answer it had; nobody is asked again."""
    return StoryRelation.objects.create(
        story_id=story_id,
        kind=kind,
        original_id=original_id,
        url="" if original_id else url,
        title=title,
        answer=answer,
        announced_at=announced_at,
        answered_at=answered_at,
        created_at=created_at or timezone.now(),
    )

"""The whole archive written as a dump (`fabula write-dump DIR`): the backup that
`fabula load-dump DIR` restores, in the same format an eFiction import goes through.

Rows keep their ids; tags and tag kinds are named by keys made of their ids ("tag:12"), which
the loader maps to new rows. Read marks (two days of read-count bookkeeping) and reading
history are not part of a dump.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.db.models import Max

from fabula.accounts.models import Pseud, User
from fabula.community.models import (
    Favourite,
    Kudos,
    ReadingList,
    ReadingListEntry,
    Review,
    Subscription,
)
from fabula.conf.models import site_settings
from fabula.importers.actions import SETTINGS_FIELDS
from fabula.importers.dump import DumpWriter, to_json_date
from fabula.stories.models import (
    Challenge,
    Chapter,
    Gift,
    Series,
    Story,
    StoryAuthor,
    StoryRelation,
    StoryTag,
)
from fabula.taxonomy.models import Rating, Tag, TagKind

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # an empty archive's `written_at`
LEVELS: dict[int, str] = {User.Level.ADMIN: "admin", User.Level.MODERATOR: "moderator"}


def write_archive(
    folder: str | Path, progress: Callable[[str, int, int], None] | None = None
) -> DumpWriter:
    site = site_settings()
    progress = progress or (lambda label, done, total: None)
    with DumpWriter(folder, source=f"fabula:{site.site_url}", written_at=_as_of()) as out:
        out.settings = {
            field: getattr(site, field) for field in SETTINGS_FIELDS if hasattr(site, field)
        }
        for rating in Rating.objects.order_by("pk"):
            out.add(
                "ratings",
                {
                    "id": rating.pk,
                    "name": rating.name,
                    "description": rating.description,
                    "order": rating.order,
                    "registered_only": rating.registered_only,
                    "age_consent": rating.age_consent,
                    "warning": rating.warning,
                    "warning_text": rating.warning_text,
                },
            )
        for kind in TagKind.objects.order_by("pk"):
            out.add(
                "tag_kinds",
                {
                    "key": kind_key(kind),
                    "slug": kind.slug,
                    "name": kind.name,
                    "role": kind.role,
                    "legacy_id": kind.legacy_id,
                    "multiple": kind.multiple,
                    "required": kind.required,
                    "order": kind.order,
                },
            )
        _tags(out)
        pseuds: dict[int, list[Pseud]] = {}
        for pseud in Pseud.objects.order_by("user_id", "-is_default", "pk"):
            pseuds.setdefault(pseud.user_id, []).append(pseud)
        for user in User.objects.order_by("pk").iterator():
            signs = pseuds.get(user.pk, [])
            out.add(
                "members",
                {
                    "id": user.pk,
                    "pen_name": user.pen_name,
                    "real_name": user.real_name,
                    "email": user.email,
                    "bio": user.bio,
                    "website": user.website,
                    "date_joined": to_json_date(user.date_joined),
                    "password": user.password,
                    "is_active": user.is_active,
                    "level": LEVELS.get(user.level, "member"),
                    "is_staff": user.is_staff,
                    "is_superuser": user.is_superuser,
                    "trusted": user.trusted,
                    "age_consent": user.age_consent,
                    "theme": user.theme,
                    "text_size": user.text_size,
                    "default_sort": user.default_sort,
                    # Written only when the member has more than their pen name to sign with,
                    # so dumps of archives that never used pseuds are as they were.
                    **(
                        {"pseuds": [{"name": p.name, "default": p.is_default} for p in signs]}
                        if [(p.name, p.is_default) for p in signs] != [(user.pen_name, True)]
                        else {}
                    ),
                },
            )
        for challenge in Challenge.objects.order_by("pk").prefetch_related("tags__kind"):
            out.add(
                "challenges",
                {
                    "id": challenge.pk,
                    "title": challenge.title,
                    "summary": challenge.summary,
                    "owner": challenge.owner_id,
                    "challenger": challenge.challenger,
                    "tags": [tag_key(t) for t in challenge.tags.all()],
                },
            )
        _stories(out)
        total = Chapter.objects.count()
        for done, chapter in enumerate(
            Chapter.objects.order_by("story_id", "position").iterator(), 1
        ):
            out.add(
                "chapters",
                {
                    "id": chapter.pk,
                    "story": chapter.story_id,
                    "position": chapter.position,
                    "title": chapter.title,
                    "author": chapter.author_id,
                    "notes": chapter.notes,
                    "end_notes": chapter.end_notes,
                    "body": chapter.body,
                    "status": chapter.status,
                    "word_count": chapter.word_count,
                    "release_at": to_json_date(chapter.release_at),
                    "created_at": to_json_date(chapter.created_at),
                    "updated_at": to_json_date(chapter.updated_at),
                },
            )
            if done % 500 == 0 or done == total:
                progress("writing chapters", done, total)
        for series in Series.objects.order_by("pk").prefetch_related("entries"):
            out.add(
                "series",
                {
                    "id": series.pk,
                    "title": series.title,
                    "summary": series.summary,
                    "owner": series.owner_id,
                    "openness": series.openness,
                    "created_at": to_json_date(series.created_at),
                    "entries": [
                        {"story": e.story_id, "confirmed": e.confirmed}
                        if e.story_id
                        else {"subseries": e.subseries_id, "confirmed": e.confirmed}
                        for e in sorted(series.entries.all(), key=lambda e: e.position)
                    ],
                },
            )
        for review in Review.objects.order_by("pk").select_related("pseud", "user").iterator():
            out.add(
                "reviews",
                {
                    "key": str(review.pk),
                    "id": review.pk,
                    "story": review.story_id,
                    "chapter": review.chapter_id,
                    "series": review.series_id,
                    "parent": str(review.parent_id) if review.parent_id else None,
                    "user": review.user_id,
                    "name": review.name,
                    "body": review.body,
                    "rating": review.rating,
                    "by_author": review.by_author,
                    "hidden": review.hidden,
                    "created_at": to_json_date(review.created_at),
                    # Only when signed with another pseud than the pen name (as for stories).
                    **(
                        {"pseud": review.pseud.name}
                        if review.pseud
                        and review.user
                        and review.pseud.name != review.user.pen_name
                        else {}
                    ),
                },
            )
        for favourite in Favourite.objects.order_by("pk").iterator():
            out.add(
                "favourites",
                {
                    **_target(favourite),
                    "user": favourite.user_id,
                    "note": favourite.note,
                    "public": favourite.public,
                    "created_at": to_json_date(favourite.created_at),
                },
            )
        for kudos in Kudos.objects.order_by("pk").iterator():
            out.add(
                "kudos",
                {
                    "story": kudos.story_id,
                    "user": kudos.user_id,
                    "guest": kudos.guest,
                    "created_at": to_json_date(kudos.created_at),
                },
            )
        for subscription in Subscription.objects.order_by("pk").iterator():
            out.add(
                "subscriptions",
                {
                    **_target(subscription),
                    "user": subscription.user_id,
                    "created_at": to_json_date(subscription.created_at),
                },
            )
        _gifts_and_relations(out)
        _reading_lists(out)
    return out


def _reading_lists(out: DumpWriter) -> None:
    entries: dict[int, list[dict]] = {}
    for entry in ReadingListEntry.objects.order_by("reading_list_id", "position", "pk"):
        entries.setdefault(entry.reading_list_id, []).append(
            {
                "story": entry.story_id,
                "position": entry.position,
                "note": entry.note,
                "added_at": to_json_date(entry.added_at),
            }
        )
    for reading_list in ReadingList.objects.order_by("pk").iterator():
        out.add(
            "reading_lists",
            {
                "id": reading_list.pk,
                "owner": reading_list.owner_id,
                "name": reading_list.name,
                "public": reading_list.public,
                "created_at": to_json_date(reading_list.created_at),
                "updated_at": to_json_date(reading_list.updated_at),
                "entries": entries.get(reading_list.pk, []),
            },
        )


def _gifts_and_relations(out: DumpWriter) -> None:
    """Written in row order, which a restore keeps (it loads them in file order)."""
    for gift in Gift.objects.order_by("pk").iterator():
        out.add(
            "gifts",
            {
                "story": gift.story_id,
                "recipient": gift.recipient_id,
                "name": gift.name,
                "refused_at": to_json_date(gift.refused_at),
                "announced_at": to_json_date(gift.announced_at),
                "created_at": to_json_date(gift.created_at),
            },
        )
    for relation in StoryRelation.objects.order_by("pk").iterator():
        out.add(
            "relations",
            {
                "story": relation.story_id,
                "kind": relation.kind,
                "original": relation.original_id,
                "url": relation.url,
                "title": relation.title,
                "answer": relation.answer,
                "announced_at": to_json_date(relation.announced_at),
                "answered_at": to_json_date(relation.answered_at),
                "created_at": to_json_date(relation.created_at),
            },
        )


def _as_of() -> datetime:
    """The time of the archive's newest change: a backup's `written_at`, so that two backups
    of the same archive (or of its restored copy) are the same bytes."""
    newest = [
        model.objects.aggregate(newest=Max(field))["newest"]
        for model, field in (
            (User, "date_joined"),
            (Story, "created_at"),
            (Story, "updated_at"),
            (Chapter, "updated_at"),
            (Series, "created_at"),
            (Review, "created_at"),
            (Favourite, "created_at"),
            (Kudos, "created_at"),
            (Subscription, "created_at"),
            (Gift, "created_at"),
            (Gift, "refused_at"),
            (StoryRelation, "created_at"),
            (StoryRelation, "answered_at"),
            (ReadingList, "updated_at"),
            (ReadingListEntry, "added_at"),
        )
    ]
    return max((value for value in newest if value is not None), default=EPOCH)


def _target(row) -> dict:
    for field in ("story", "author", "series"):
        value = getattr(row, f"{field}_id")
        if value is not None:
            return {field: value}
    return {}


def kind_key(kind: TagKind) -> str:
    """A tag kind's key in a backup: its slug, which a restore keeps (its row id it does not)."""
    return f"kind:{kind.slug}"


def tag_key(tag: Tag) -> str:
    """A tag's key in a backup: its kind and its number (`legacy_id`, which every tag has and
    a restore keeps), so the backup of a restored archive names its tags the same way."""
    number = tag.legacy_id if tag.legacy_id is not None else f"row{tag.pk}"
    return f"tag:{tag.kind.slug}:{number}"


def _tags(out: DumpWriter) -> None:
    """Tags, each after its parent (the loader needs the parent first)."""
    tags = {tag.pk: tag for tag in Tag.objects.select_related("kind")}

    def depth(tag: Tag) -> int:
        n = 0
        while tag.parent_id and n < 50:
            tag, n = tags[tag.parent_id], n + 1
        return n

    keys = {pk: tag_key(tag) for pk, tag in tags.items()}
    for tag in sorted(tags.values(), key=lambda t: (depth(t), keys[t.pk])):
        out.add(
            "tags",
            {
                "key": keys[tag.pk],
                "kind": kind_key(tag.kind),
                "name": tag.name,
                "parent": keys.get(tag.parent_id) if tag.parent_id else None,
                "synonym_of": keys.get(tag.synonym_of_id) if tag.synonym_of_id else None,
                "description": tag.description,
                "locked": tag.locked,
                "order": tag.order,
                "legacy_id": tag.legacy_id,
            },
        )


def _stories(out: DumpWriter) -> None:
    credits: dict[int, list[int]] = {}
    signed: dict[int, list[str]] = {}
    pseuds_used: set[int] = set()  # stories an author of which signs with another pseud
    for story_id, user_id, pseud, pen_name in StoryAuthor.objects.order_by(
        "story_id", "position"
    ).values_list("story_id", "user_id", "pseud__name", "user__pen_name"):
        credits.setdefault(story_id, []).append(user_id)
        signed.setdefault(story_id, []).append(pseud)
        if pseud != pen_name:
            pseuds_used.add(story_id)
    keys = {tag.pk: tag_key(tag) for tag in Tag.objects.select_related("kind")}
    tags: dict[int, list[str]] = {}
    for story_id, tag_id in StoryTag.objects.order_by("story_id", "position").values_list(
        "story_id", "tag_id"
    ):
        tags.setdefault(story_id, []).append(keys[tag_id])
    challenges: dict[int, list[int]] = {}
    for story_id, challenge_id in Story.challenges.through.objects.values_list(
        "story_id", "challenge_id"
    ):
        challenges.setdefault(story_id, []).append(challenge_id)
    for story in Story.objects.order_by("pk").iterator():
        out.add(
            "stories",
            {
                "id": story.pk,
                "title": story.title,
                "summary": story.summary,
                "notes": story.notes,
                "rating": story.rating_id,
                "authors": credits.get(story.pk, []),
                "tags": tags.get(story.pk, []),
                "status": story.status,
                "completed": story.completed,
                "featured": story.featured,
                "language": story.language,
                "published_at": to_json_date(story.published_at),
                "updated_at": to_json_date(story.updated_at),
                "created_at": to_json_date(story.created_at),
                "word_count": story.word_count,
                "read_count": story.read_count,
                "archived_at": story.archived_at,
                "challenges": challenges.get(story.pk, []),
                # Written only when set, so dumps of archives that never used it are unchanged.
                **({"reading_only": True} if story.reading_only else {}),
                **({"locked": True} if story.locked else {}),
                # A story waiting in an unrevealed or anonymous collection stays hidden after a
                # restore (the collections themselves are not in a dump yet).
                **({"unrevealed": True} if story.unrevealed else {}),
                **({"anonymous": True} if story.anonymous else {}),
                **({"pseuds": signed[story.pk]} if story.pk in pseuds_used else {}),
            },
        )

"""Writes an import needs that the other apps' actions do not offer yet.

Site settings, ratings, tag kinds and tags with their old numbers, members with their old ids and
password hashes, challenges, reviews with replies, favourites, and the counts that follow
reviews and favourites. Everything else an import writes goes through `stories.actions`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Avg, Count, Q

from fabula.accounts.models import User
from fabula.community.models import Favourite, Kudos, Review, Subscription
from fabula.conf.markup import sanitize, sanitizer
from fabula.conf.models import SiteSettings
from fabula.lib.db import insert, keep_ids_ahead
from fabula.lib.pagecache import content_changed
from fabula.stories.models import Challenge, Chapter, Story
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


def site_settings_import(*, values: dict) -> SiteSettings:
    """Take the settings named in `values` (any of SETTINGS_FIELDS); others stay as they are."""
    site = SiteSettings.objects.filter(pk=1).first() or SiteSettings()
    for field in SETTINGS_FIELDS:
        if field in values and values[field] is not None and hasattr(site, field):
            setattr(site, field, values[field])
    site.save()
    return site


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
    tag = Tag.objects.create(
        kind=kind,
        name=name,
        legacy_id=legacy_id,
        parent=parent,
        description=sanitize(description),
        locked=locked,
        order=order,
    )
    content_changed()
    return tag


def members_import(*, members: list[User]) -> None:
    """Write members with their ids and their password hashes as they are (already encoded)."""
    insert(members)
    keep_ids_ahead(User)


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
    return challenge


def review_import(
    *,
    review_id: int | None,
    story_id: int | None,
    chapter_id: int | None,
    series_id: int | None,
    parent: Review | None,
    user_id: int | None,
    name: str,
    body: str,
    rating: int | None,
    by_author: bool,
    created_at: datetime | None,
    hidden: bool = False,
) -> Review:
    """One review or reply, as it was; call `reviews_recount` for the counts afterwards."""
    values = dict(
        id=review_id,
        story_id=story_id,
        chapter_id=chapter_id,
        series_id=series_id,
        parent=parent,
        user_id=user_id,
        name=name,
        body=sanitize(body),
        rating=rating,
        by_author=by_author,
        hidden=hidden,
    )
    if created_at is not None:
        values.update(created_at=created_at, updated_at=created_at)
    review = Review.objects.create(**values)
    if review_id is not None:
        keep_ids_ahead(Review)
    return review


def reviews_import(*, reviews: list[dict]) -> list[Review]:
    """Many top-level reviews at once, each given as `review_import`'s arguments (no parent)."""
    clean = sanitizer()
    rows = []
    for values in reviews:
        created_at = values.get("created_at")
        row = Review(
            id=values["review_id"],
            story_id=values["story_id"],
            chapter_id=values["chapter_id"],
            series_id=values["series_id"],
            user_id=values["user_id"],
            name=values["name"],
            body=clean(values["body"]),
            rating=values["rating"],
            by_author=values["by_author"],
            hidden=values.get("hidden", False),
        )
        if created_at is not None:
            row.created_at = row.updated_at = created_at
        rows.append(row)
    insert(rows)
    keep_ids_ahead(Review)
    return rows


def _rounded(value, like: bool) -> int | None:
    """The stored mean: on the star scale with eFiction's round() (halves go up), or the
    percentage of likes."""
    if value is None:
        return None
    return int(value * 100 + 0.5) if like else int(value + 0.5)


def reviews_recount(*, story_ids: Iterable[int]) -> None:
    """Each story's and chapter's review count and mean rating, the way eFiction counts: reviews
    with text (not rating-only ones, not replies, not hidden) are counted; every rating is
    averaged."""
    story_ids = list(story_ids)
    like = getattr(SiteSettings.objects.filter(pk=1).first(), "review_ratings", "") == "like"
    reviews = Review.objects.filter(story_id__in=story_ids, parent__isnull=True, hidden=False)
    for model, column in ((Story, "story_id"), (Chapter, "chapter_id")):
        figures = {
            pk: (n, _rounded(mean, like))
            for pk, n, mean in reviews.exclude(**{f"{column}__isnull": True})
            .values(column)
            .annotate(
                n=Count("pk", filter=~Q(body="")),
                mean=Avg("rating"),
            )
            .values_list(column, "n", "mean")
        }
        rows = model.objects.filter(
            **({"pk__in": story_ids} if model is Story else {"story_id__in": story_ids})
        )
        # One UPDATE per distinct (count, mean): few of them, however many rows change.
        changed: dict[tuple, list[int]] = defaultdict(list)
        for pk, old_count, old_mean in rows.values_list("pk", "review_count", "rating_average"):
            figure = figures.get(pk, (0, None))
            if (old_count, old_mean) != figure:
                changed[figure].append(pk)
        for (count, mean), pks in changed.items():
            for start in range(0, len(pks), 500):
                model.objects.filter(pk__in=pks[start : start + 500]).update(
                    review_count=count, rating_average=mean
                )
    content_changed()


def favourite_import(
    *,
    user_id: int,
    story_id: int | None = None,
    author_id: int | None = None,
    series_id: int | None = None,
    note: str = "",
    public: bool = True,
    created_at: datetime | None = None,
) -> Favourite:
    defaults = {"note": note, "public": public}
    if created_at is not None:
        defaults["created_at"] = created_at
    favourite, _ = Favourite.objects.get_or_create(
        user_id=user_id,
        story_id=story_id,
        author_id=author_id,
        series_id=series_id,
        defaults=defaults,
    )
    return favourite


def subscription_import(
    *,
    user_id: int,
    story_id: int | None = None,
    author_id: int | None = None,
    series_id: int | None = None,
    created_at: datetime | None = None,
) -> Subscription:
    subscription, _ = Subscription.objects.get_or_create(
        user_id=user_id,
        story_id=story_id,
        author_id=author_id,
        series_id=series_id,
        defaults={"created_at": created_at} if created_at else {},
    )
    return subscription


def kudos_import(
    *, story_id: int, user_id: int | None, guest: str = "", created_at: datetime | None = None
) -> Kudos:
    kudos, _ = Kudos.objects.get_or_create(
        story_id=story_id,
        user_id=user_id,
        guest="" if user_id else guest,
        defaults={"created_at": created_at} if created_at else {},
    )
    return kudos


def tag_set_synonym(*, tag: Tag, synonym_of: Tag) -> None:
    Tag.objects.filter(pk=tag.pk).update(synonym_of=synonym_of)
    content_changed()


def favourites_recount(*, story_ids: Iterable[int]) -> None:
    """Each story's favourite and kudos counts."""
    story_ids = list(story_ids)
    favourites = dict(
        Favourite.objects.filter(story_id__in=story_ids)
        .values("story_id")
        .annotate(n=Count("id"))
        .values_list("story_id", "n")
    )
    given = dict(
        Kudos.objects.filter(story_id__in=story_ids)
        .values("story_id")
        .annotate(n=Count("id"))
        .values_list("story_id", "n")
    )
    for pk, old_favourites, old_kudos in Story.objects.filter(pk__in=story_ids).values_list(
        "pk", "favourite_count", "kudos_count"
    ):
        counts = (favourites.get(pk, 0), given.get(pk, 0))
        if counts != (old_favourites, old_kudos):
            Story.objects.filter(pk=pk).update(favourite_count=counts[0], kudos_count=counts[1])
    content_changed()

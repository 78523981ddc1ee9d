"""Every write readers make: reviews, kudos, favourites, subscriptions, reading, blocks.

Views, importers and commands call these; none of them saves a community model itself. Each
action keeps the counts stored on Story and Chapter (review_count, rating_average, kudos_count,
favourite_count), sends the notifications it causes, and retires cached guest pages when what
they show changed. Refusals raise `ActionRefused` (or its kinds) with a message for the reader.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from fabula.accounts.models import Pseud, User
from fabula.community import alerts, permissions
from fabula.community.models import (
    Favourite,
    Kudos,
    MemberPreferences,
    Reading,
    ReadingList,
    ReadingListEntry,
    Review,
    Subscription,
)
from fabula.conf.markup import sanitize, sanitizer
from fabula.conf.models import SiteSettings, site_settings
from fabula.lib import limits
from fabula.lib.changes import changed, counts_changed
from fabula.lib.db import insert, keep_ids_ahead
from fabula.lib.html import looks_like_html, plain_to_html
from fabula.lib.refusals import ActionRefused, FieldRefused, NotAllowed
from fabula.lib.words import tidy_title
from fabula.stories.actions.pseuds import signing_pseud
from fabula.stories.models import Block, Chapter, Series, Story
from fabula.stories.permissions import Viewer, is_author
from fabula.taxonomy.models import Tag

MAX_REVIEW_CHARACTERS = 20_000
MAX_NOTE_CHARACTERS = 5_000

# ---------------------------------------------------------------------------------------------
# Reviews


_TOO_LONG = {
    "review": gettext_noop("The review is too long: at most %(limit)s characters."),
    "reply": gettext_noop("The reply is too long: at most %(limit)s characters."),
    "note": gettext_noop("The note is too long: at most %(limit)s characters."),
}


def _clean_text(text: str, *, limit: int, what: str) -> str:
    """Readers' text as safe HTML: plain text becomes paragraphs, HTML is sanitised."""
    text = (text or "").strip()
    if len(text) > limit:
        raise ActionRefused(_(_TOO_LONG[what]) % {"limit": f"{limit:,}"})
    return _as_html(text)


def _as_html(text: str) -> str:
    """Plain text as paragraphs, HTML sanitised: what every note and review is stored as."""
    if not text.strip():
        return ""
    return sanitize(text if looks_like_html(text) else plain_to_html(text))


def _check_rating(rating: int | None) -> int | None:
    """A rating on the site's scale: 1-10 (half stars) with stars, 0 or 1 with like/dislike."""
    if rating is None:
        return None
    style = site_settings().review_ratings
    if style == SiteSettings.ReviewRatings.NONE:
        raise ActionRefused(gettext("This archive does not take ratings with reviews."))
    allowed = range(1, 11) if style == SiteSettings.ReviewRatings.STARS else (0, 1)
    if rating not in allowed:
        raise ActionRefused(
            _("A star rating runs from 1 to 10 (half stars).")
            if style == SiteSettings.ReviewRatings.STARS
            else "A like/dislike rating is 1 (like) or 0 (dislike)."
        )
    return rating


def _spam_check(*, name: str, body: str, ip: str, user: Viewer) -> None:
    """The optional hook: FABULA_SPAM_CHECK names a function (name, body, ip, user) -> is spam."""
    path = getattr(settings, "FABULA_SPAM_CHECK", "")
    if path and import_string(path)(name=name, body=body, ip=ip, user=user):
        raise ActionRefused(gettext("This review looks like spam and was not posted."))


def _mean(values) -> int | None:
    """The stored mean rating: rounded on the star scale, or the percentage of likes."""
    mean = values["mean"]
    if mean is None:
        return None
    if site_settings().review_ratings == SiteSettings.ReviewRatings.LIKE:
        return round(mean * 100)
    return round(mean)


def _review_changed(story: Story | int | None) -> None:
    """A review of a story moves only that story's counters and threads (its own pages); one of
    a series alone shows on the series page, which is retired with the rest."""
    if story is None:
        changed()
    else:
        counts_changed(story=story)


def recount_reviews(*, story: Story | None, chapter: Chapter | None = None) -> None:
    """Store review counts and mean ratings on the story and the chapter from the reviews.

    A review counts when it is a visible top-level review with words (eFiction did not count
    rating-only reviews); every visible top-level rating counts in the mean.
    """

    def figures(reviews):
        reviews = reviews.filter(parent__isnull=True, hidden=False)
        return reviews.aggregate(
            count=Count("pk", filter=~Q(body="")),
            mean=Avg("rating"),
        )

    if story is not None:
        values = figures(Review.objects.filter(story=story))
        story.review_count, story.rating_average = values["count"], _mean(values)
        Story.objects.filter(pk=story.pk).update(
            review_count=story.review_count, rating_average=story.rating_average
        )
    if chapter is not None:
        values = figures(Review.objects.filter(chapter=chapter))
        chapter.review_count, chapter.rating_average = values["count"], _mean(values)
        Chapter.objects.filter(pk=chapter.pk).update(
            review_count=chapter.review_count, rating_average=chapter.rating_average
        )


@transaction.atomic
def review_post(
    *,
    story: Story | None = None,
    chapter: Chapter | None = None,
    series: Series | None = None,
    user: Viewer,
    name: str = "",
    body: str = "",
    rating: int | None = None,
    ip: str = "",
    pseud: Pseud | int | None = None,
) -> Review:
    """A review of a story (optionally of one of its chapters) or of a series. A member signs
    it with one of their pseuds (`pseud`; None: their default); a guest with `name`."""
    if chapter is not None:
        story = chapter.story
    if (story is None) == (series is None):
        raise ActionRefused(gettext("A review is of a story or of a series."))
    member = user if user.is_authenticated else None
    body = _clean_text(body, limit=MAX_REVIEW_CHARACTERS, what="review")
    name = tidy_title(name)[:100]
    if story is not None and member is not None and is_author(member, story):
        raise NotAllowed(_("Authors answer reviews of their own work; they do not review it."))
    if story is not None and not permissions.can_review(user, story):
        raise NotAllowed(_("Reviews are closed here, or need you to log in."))
    if series is not None and not permissions.can_review_series(user, series):
        raise NotAllowed(_("Reviews are closed here, need you to log in, or the series is yours."))
    rating = _check_rating(rating)
    if not body and rating is None:
        raise FieldRefused(gettext("Write a few words, or give a rating."), "body")
    if member is None and not name:
        raise FieldRefused(gettext("Guests give a name with their review."), "name")
    signed = signing_pseud(member, pseud) if member is not None else None
    limits.REVIEWS.check(user, ip)
    if member is None:
        _spam_check(name=name, body=body, ip=ip, user=user)
    when = timezone.now()
    review = Review.objects.create(
        story=story,
        chapter=chapter,
        series=series,
        user=member,
        pseud=signed,
        name=signed.name if signed else name,
        body=body,
        rating=rating,
        created_at=when,
        updated_at=when,
    )
    recount_reviews(story=story, chapter=chapter)
    alerts.review_arrived(review)
    _review_changed(story)
    return review


@transaction.atomic
def review_reply(
    *, parent: Review, user: User, body: str, pseud: Pseud | int | None = None
) -> Review:
    """An answer in a review's thread, signed with one of the member's pseuds (None: their
    default); an author of the work answering is marked as such."""
    if not permissions.can_reply(user, parent):
        raise NotAllowed(_("Log in to answer a review."))
    signed = signing_pseud(user, pseud)
    body = _clean_text(body, limit=MAX_REVIEW_CHARACTERS, what="reply")
    if not body:
        raise ActionRefused(gettext("A reply needs a few words."))
    limits.REVIEWS.check(user, "")
    root = parent
    story = root.story
    when = timezone.now()
    reply = Review.objects.create(
        story=story,
        chapter=root.chapter,
        series=root.series,
        parent=root,
        user=user,
        pseud=signed,
        name=signed.name,
        body=body,
        by_author=bool(story and is_author(user, story)),
        created_at=when,
        updated_at=when,
    )
    alerts.reply_arrived(reply)
    _review_changed(story)
    return reply


@transaction.atomic
def review_edit(*, review: Review, user: User, body: str, rating: int | None = None) -> Review:
    if not permissions.can_edit_review(user, review):
        raise NotAllowed(_("Only the writer of a review may edit it."))
    body = _clean_text(body, limit=MAX_REVIEW_CHARACTERS, what="review")
    if review.parent_id is None:
        rating = _check_rating(rating)
        if not body and rating is None:
            raise ActionRefused(gettext("Write a few words, or give a rating."))
        review.rating = rating
    elif not body:
        raise ActionRefused(gettext("A reply needs a few words."))
    review.body = body
    review.updated_at = timezone.now()
    review.save(update_fields=["body", "rating", "updated_at"])
    recount_reviews(story=review.story, chapter=review.chapter)
    _review_changed(review.story_id)
    return review


@transaction.atomic
def review_delete(*, review: Review, user: User) -> None:
    """Delete a review with its replies (or one reply)."""
    if not permissions.can_delete_review(user, review):
        raise NotAllowed(_("You may not delete this review."))
    story, chapter = review.story, review.chapter
    review.delete()
    recount_reviews(story=story, chapter=chapter)
    _review_changed(story)


# ---------------------------------------------------------------------------------------------
# Kudos


def kudos_give(*, story: Story, user: Viewer, guest_key: str = "") -> Kudos | None:
    """Leave kudos once; None when this member or guest already had. Not on your own story."""
    if not permissions.can_give_kudos(user, story):
        raise NotAllowed(_("You cannot leave kudos on your own story."))
    member = user if user.is_authenticated else None
    limits.KUDOS.check(user, guest_key)  # a guest's key stands for the address
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(
                story=story, user=member, guest="" if member else guest_key
            )
            Story.objects.filter(pk=story.pk).update(kudos_count=F("kudos_count") + 1)
    except IntegrityError:
        return None
    story.kudos_count += 1
    counts_changed(story=story)
    return kudos


# ---------------------------------------------------------------------------------------------
# Favourites and subscriptions


# What a favourite, a follow or a block may name; each kind of row allows some (Targets.of).
Target = Story | User | Series | Tag


@dataclass(frozen=True)
class Targets:
    """What a kind of row (a favourite, a follow, a block) may point at: a field per model."""

    fields: dict[type, str]
    refusal: str

    def of(self, target: object) -> dict:
        """The filter naming `target` in such a row."""
        for kind, field in self.fields.items():
            if isinstance(target, kind):
                return {field: target}
        raise ActionRefused(self.refusal)


FOLLOWABLE = Targets(
    {Story: "story", User: "author", Series: "series"},
    "Only stories, authors and series can be followed or favourited.",
)
BLOCKABLE = Targets(
    {Story: "story", Tag: "tag", User: "author"}, "Only stories, tags and authors can be blocked."
)


@transaction.atomic
def favourite_add(*, user: User, target: Target, note: str = "", public: bool = True) -> Favourite:
    """Favourite a story, an author or a series, or change the note of a favourite."""
    fields = FOLLOWABLE.of(target)
    note = _clean_text(note, limit=MAX_NOTE_CHARACTERS, what="note")
    favourite, created = Favourite.objects.get_or_create(
        user=user, **fields, defaults={"note": note, "public": public}
    )
    if not created:
        favourite.note, favourite.public = note, public
        favourite.save(update_fields=["note", "public"])
    elif isinstance(target, Story):
        Story.objects.filter(pk=target.pk).update(favourite_count=F("favourite_count") + 1)
        counts_changed(story=target)
    return favourite


@transaction.atomic
def favourite_remove(*, user: User, target: Target) -> bool:
    deleted, _ = Favourite.objects.filter(user=user, **FOLLOWABLE.of(target)).delete()
    if deleted and isinstance(target, Story):
        Story.objects.filter(pk=target.pk, favourite_count__gt=0).update(
            favourite_count=F("favourite_count") - 1
        )
        counts_changed(story=target)
    return bool(deleted)


def subscribe(*, user: User, target: Target) -> Subscription:
    if isinstance(target, User) and target.pk == user.pk:
        raise ActionRefused(gettext("You cannot follow yourself."))
    subscription, _ = Subscription.objects.get_or_create(user=user, **FOLLOWABLE.of(target))
    return subscription


def unsubscribe(*, user: User, target: Target) -> bool:
    deleted, _ = Subscription.objects.filter(user=user, **FOLLOWABLE.of(target)).delete()
    return bool(deleted)


# ---------------------------------------------------------------------------------------------
# Preferences, reading history, marked for later


def preferences(user: User) -> MemberPreferences:
    """The member's preferences (defaults, unsaved, when they never changed them)."""
    found = MemberPreferences.objects.filter(user=user).first()
    return found or MemberPreferences(user=user)


def preferences_set(*, user: User, keep_history: bool) -> MemberPreferences:
    prefs = preferences(user)
    prefs.keep_history = keep_history
    prefs.save()
    return prefs


def reading_save_position(
    *, user: User, chapter: Chapter, position: float | str | None
) -> Reading | None:
    """Remember the chapter and how far into it (0 to 1) the member is; None with history off.
    `position` may be the text the page sent (None when it sent none)."""
    if not preferences(user).keep_history:
        return None
    if position is None:
        raise ActionRefused(gettext("The position is a number from 0 to 1."))
    try:
        position = min(max(float(position), 0.0), 1.0)
    except (TypeError, ValueError):
        raise ActionRefused(gettext("The position is a number from 0 to 1.")) from None
    if position != position:  # NaN
        raise ActionRefused(gettext("The position is a number from 0 to 1."))
    reading, _ = Reading.objects.update_or_create(
        user=user,
        story_id=chapter.story_id,
        defaults={"chapter": chapter, "position": position, "last_read_at": timezone.now()},
    )
    return reading


def reading_mark_for_later(*, user: User, story: Story, later: bool = True) -> Reading:
    """'Marked for later' lives on the reading row; marking does not count as reading."""
    reading, created = Reading.objects.get_or_create(
        user=user, story=story, defaults={"marked_for_later": later, "last_read_at": timezone.now()}
    )
    if not created and reading.marked_for_later != later:
        reading.marked_for_later = later
        reading.save(update_fields=["marked_for_later"])
    return reading


def history_clear(*, user: User) -> int:
    """Forget what the member read; stories marked for later stay marked (with no place)."""
    Reading.objects.filter(user=user, marked_for_later=True).update(chapter=None, position=0)
    deleted, _ = Reading.objects.filter(user=user, marked_for_later=False).delete()
    return deleted


def history_off(*, user: User) -> None:
    """Stop remembering, and forget what was remembered."""
    preferences_set(user=user, keep_history=False)
    history_clear(user=user)


def history_on(*, user: User) -> None:
    preferences_set(user=user, keep_history=True)


# ---------------------------------------------------------------------------------------------
# Blocklist


def block_add(*, user: User, target: Target) -> Block:
    if isinstance(target, User) and target.pk == user.pk:
        raise ActionRefused(gettext("You cannot block yourself."))
    block, _ = Block.objects.get_or_create(user=user, **BLOCKABLE.of(target))
    return block


def block_remove(*, user: User, target: Target) -> bool:
    deleted, _ = Block.objects.filter(user=user, **BLOCKABLE.of(target)).delete()
    return bool(deleted)


def block_tag(*, user: User, tag: Tag) -> Block:
    return block_add(user=user, target=tag)


# ---------------------------------------------------------------------------------------------
# Imports: rows written as another archive had them (ids, dates, eFiction's counting), in bulk,
# with no checks and no alerts. The loader (`fabula.importers.load`) calls these, then the
# recounts once a kind is in.


def reviews_import(*, reviews: list[dict]) -> list[Review]:
    """Many reviews and replies at once, as they were: each a dict of `review_id` (kept),
    `story_id`, `chapter_id`, `series_id`, `parent_id` (optional: the review it answers),
    `user_id`, `name`, `body` (sanitised here), `rating`, `by_author`, `hidden` (optional) and
    `created_at` (None: now). Call `reviews_recount` for the counts afterwards."""
    clean = sanitizer()
    rows = []
    # A member's review is signed with their default pseud unless it names one.
    defaults = dict(
        Pseud.objects.filter(
            user_id__in={v["user_id"] for v in reviews if v["user_id"]}, is_default=True
        ).values_list("user_id", "pk")
    )
    for values in reviews:
        created_at = values.get("created_at")
        row = Review(
            id=values["review_id"],
            story_id=values["story_id"],
            chapter_id=values["chapter_id"],
            series_id=values["series_id"],
            parent_id=values.get("parent_id"),
            user_id=values["user_id"],
            pseud_id=values.get("pseud_id") or defaults.get(values["user_id"]),
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
        updates: dict[tuple, list[int]] = defaultdict(list)
        for pk, old_count, old_mean in rows.values_list("pk", "review_count", "rating_average"):
            figure = figures.get(pk, (0, None))
            if (old_count, old_mean) != figure:
                updates[figure].append(pk)
        for (count, mean), pks in updates.items():
            for start in range(0, len(pks), 500):
                model.objects.filter(pk__in=pks[start : start + 500]).update(
                    review_count=count, rating_average=mean
                )
    changed()


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
    # An old archive's comment is as hostile as a reader's: the same cleaning as favourite_add.
    defaults = {"note": _as_html(note), "public": public}
    if created_at is not None:
        defaults["created_at"] = created_at
    # An id of None looks up IS NULL, which django-stubs does not accept for an id.
    favourite, _ = Favourite.objects.get_or_create(  # type: ignore[misc]
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
    # An id of None looks up IS NULL, which django-stubs does not accept for an id.
    subscription, _ = Subscription.objects.get_or_create(  # type: ignore[misc]
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
    # An id of None looks up IS NULL, which django-stubs does not accept for an id.
    kudos, _ = Kudos.objects.get_or_create(  # type: ignore[misc]
        story_id=story_id,
        user_id=user_id,
        guest="" if user_id else guest,
        defaults={"created_at": created_at} if created_at else {},
    )
    return kudos


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
    changed()


# ---------------------------------------------------------------------------------------------
# Reading lists: a member's named, ordered lists of others' stories, each with a note. Guests'
# pages and feeds show public lists, so a change to a list that is (or was) public retires them.

LIST_NAME_FIELD = "name"
LIST_NAME_LENGTH = 100
LIST_ENTRIES_MOST = 1_000


def _list_name(owner: User, name: str, *, keep: ReadingList | None = None) -> str:
    name = tidy_title(name)
    if not name:
        raise FieldRefused(_("A reading list needs a name."), LIST_NAME_FIELD)
    if len(name) > LIST_NAME_LENGTH:
        raise FieldRefused(
            _("A list's name has at most %(LIST_NAME_LENGTH)s characters.")
            % {"LIST_NAME_LENGTH": LIST_NAME_LENGTH},
            LIST_NAME_FIELD,
        )
    others = ReadingList.objects.filter(owner=owner, name__iexact=name)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    if others.exists():
        raise FieldRefused(
            _("You already have a list named “%(name)s”.") % {"name": name}, LIST_NAME_FIELD
        )
    return name


def _list_changed(reading_list: ReadingList, *, was_public: bool = False) -> None:
    ReadingList.objects.filter(pk=reading_list.pk).update(updated_at=timezone.now())
    if reading_list.public or was_public:
        changed()


@transaction.atomic
def reading_list_create(*, owner: User, name: str, public: bool = False) -> ReadingList:
    reading_list = ReadingList.objects.create(
        owner=owner, name=_list_name(owner, name), public=public
    )
    _list_changed(reading_list)
    return reading_list


def reading_list_import(
    *,
    list_id: int | None,
    owner_id: int,
    name: str,
    public: bool,
    created_at: datetime | None,
    updated_at: datetime | None,
    entries: list[tuple[int, int, str, datetime | None]],
) -> ReadingList:
    """A list as a dump has it, with its id while free and its entries (story id, position,
    note, added at), each note cleaned as `reading_list_add` cleans one."""
    now = timezone.now()
    reading_list = ReadingList.objects.create(
        id=list_id,
        owner_id=owner_id,
        name=name,
        public=public,
        created_at=created_at or now,
        updated_at=updated_at or now,
    )
    if list_id is not None:
        keep_ids_ahead(ReadingList)
    ReadingListEntry.objects.bulk_create(
        ReadingListEntry(
            reading_list=reading_list,
            story_id=story_id,
            position=position,
            note=_as_html(note),
            added_at=added_at or now,
        )
        for story_id, position, note, added_at in entries
    )
    return reading_list


@transaction.atomic
def reading_list_update(*, reading_list: ReadingList, name: str, public: bool) -> ReadingList:
    """Rename the list and make it public or private."""
    was_public = reading_list.public
    reading_list.name = _list_name(reading_list.owner, name, keep=reading_list)
    reading_list.public = public
    reading_list.save(update_fields=["name", "public"])
    _list_changed(reading_list, was_public=was_public)
    return reading_list


@transaction.atomic
def reading_list_delete(*, reading_list: ReadingList) -> None:
    was_public = reading_list.public
    reading_list.delete()
    if was_public:
        changed()


@transaction.atomic
def reading_list_add(
    *, reading_list: ReadingList, story: Story, note: str = ""
) -> ReadingListEntry:
    """Put a story at the end of the list, with a note (plain text or HTML, sanitised).
    Refused: the member's own story, a story already on the list, a full list, a long note."""
    if is_author(reading_list.owner, story):
        raise ActionRefused(_("A reading list is for others' stories; yours are on your page."))
    if reading_list.entries.filter(story=story).exists():
        raise ActionRefused(
            _("“%(title)s” is already on “%(name)s”.")
            % {"title": story.title, "name": reading_list.name}
        )
    if reading_list.entries.count() >= LIST_ENTRIES_MOST:
        raise ActionRefused(
            _("A reading list holds at most %(LIST_ENTRIES_MOST)s stories.")
            % {"LIST_ENTRIES_MOST": LIST_ENTRIES_MOST}
        )
    clean = _clean_text(note, limit=MAX_NOTE_CHARACTERS, what="note")
    last = reading_list.entries.aggregate(p=Max("position"))["p"]
    entry = ReadingListEntry.objects.create(
        reading_list=reading_list,
        story=story,
        note=clean,
        position=0 if last is None else last + 1,
    )
    _list_changed(reading_list)
    return entry


@transaction.atomic
def reading_list_arrange(
    *, reading_list: ReadingList, order: list[int], notes: dict[int, str]
) -> None:
    """The list's entries (by id) in this order, with these notes; every entry must be named
    once, so nothing is lost or doubled by a stale page."""
    entries = {entry.pk: entry for entry in reading_list.entries.all()}
    if sorted(order) != sorted(entries):
        raise ActionRefused(_("The list changed meanwhile: reload the page and try again."))
    cleaned = {
        pk: _clean_text(note, limit=MAX_NOTE_CHARACTERS, what="note")
        for pk, note in notes.items()
        if pk in entries
    }
    for position, pk in enumerate(order):
        entry = entries[pk]
        entry.position = position
        entry.note = cleaned.get(pk, entry.note)
    ReadingListEntry.objects.bulk_update(list(entries.values()), ["position", "note"])
    _list_changed(reading_list)


@transaction.atomic
def reading_list_remove(*, entry: ReadingListEntry) -> None:
    reading_list = entry.reading_list
    entry.delete()
    _list_changed(reading_list)

"""Stories, their chapters, series and challenges: what the archive holds.

Imported stories keep their eFiction ids (sid, chapid, seriesid) as primary keys, so old links
keep working. Counts shown in listings (words, chapters) are stored on the story and kept by the
actions in `actions.py`; nothing else writes these models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fabula.taxonomy.models import Rating, Tag


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting validation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by staff")


# ---------------------------------------------------------------------------------------------
# What the public may see, written once. A story is public when it is published and has at
# least one released chapter (`chapter_count` counts the released ones, kept by actions); a
# chapter is released when it is published and not scheduled for later. Who may see what beyond
# this (authors, moderators, members-only ratings, blocklists) is `stories.permissions`.


def released_sql(alias: str = "") -> str:
    """The time half of "released" in SQL, for tables that copy chapters' `release_at` (the
    search index holds only published chapters): one `%s` parameter, the time now."""
    column = f"{alias}.release_at" if alias else "release_at"
    return f"({column} IS NULL OR {column} <= %s)"


def released_chapters_sql(alias: str, now: datetime) -> tuple[str, list]:
    """`ChapterQuerySet.released` in SQL, with its parameters, for the plain reads of the
    pages read most (`selectors.chapter_list`). The time as the ORM writes it (on SQLite, text
    compared as text)."""
    now_value = connection.ops.adapt_datetimefield_value(now)
    return f"{alias}.status = %s AND {released_sql(alias)}", [Status.PUBLISHED.value, now_value]


class StoryQuerySet(models.QuerySet):
    def public(self) -> StoryQuerySet:
        """Published stories with at least one released chapter, not waiting in an unrevealed
        collection (`Story.unrevealed`)."""
        return self.filter(status=Status.PUBLISHED, chapter_count__gt=0, unrevealed=False)


class ChapterQuerySet(models.QuerySet):
    def published(self) -> ChapterQuerySet:
        """Published chapters, scheduled ones included (the search index holds these and
        applies `released_sql` when it is asked)."""
        return self.filter(status=Status.PUBLISHED)

    def released(self, now: datetime | None = None) -> ChapterQuerySet:
        """Published chapters whose release time, if any, has come."""
        return self.published().filter(
            models.Q(release_at__isnull=True) | models.Q(release_at__lte=now or timezone.now())
        )

    def due(self, now: datetime | None = None) -> ChapterQuerySet:
        """Scheduled chapters whose time has come, still carrying their `release_at`."""
        return self.filter(release_at__isnull=False, release_at__lte=now or timezone.now())


class Story(models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text=_("Sanitised HTML."))
    notes = models.TextField(blank=True, help_text=_("Story notes, sanitised HTML."))
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="stories")
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="StoryAuthor", related_name="stories"
    )
    tags = models.ManyToManyField(Tag, through="StoryTag", related_name="stories")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    completed = models.BooleanField(default=False)
    reading_only = models.BooleanField(
        default=False,
        help_text=_(
            "The authors keep the story for reading on the site: no downloads, feeds or "
            "OPDS, and crawlers are asked not to index it or use it for AI (noindex, noai)."
        ),
    )
    locked = models.BooleanField(
        default=False,
        help_text=_(
            "For members only (AO3's restricted works), whatever its rating: guests never "
            "see it listed, counted, searched or fed, and meet a login gate at its address."
        ),
    )
    featured = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="en")
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Kept by actions: the sum over published chapters, or what an old archive recorded.
    word_count = models.PositiveIntegerField(default=0)
    chapter_count = models.PositiveIntegerField(default=0, help_text=_("Published chapters."))
    read_count = models.PositiveIntegerField(default=0)
    # Kept by community actions.
    review_count = models.PositiveIntegerField(default=0)
    rating_average = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Rounded mean review rating, on the site's scale.")
    )
    kudos_count = models.PositiveIntegerField(default=0)
    favourite_count = models.PositiveIntegerField(default=0)
    # For stories brought from another archive: the address it was archived at there.
    archived_at = models.URLField(max_length=500, blank=True)
    challenges = models.ManyToManyField("stories.Challenge", blank=True, related_name="responses")
    # Kept by the collections app's actions (the app sits above this one): the story is in an
    # unrevealed collection (only its authors, moderators and the collection's maintainers see
    # it), or in an anonymous one (its authors show as "Anonymous"), until the reveal.
    unrevealed = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)
    # Moderation: what staff told the author when sending the story back, and the status a
    # hidden story returns to when staff unhide it.
    moderation_note = models.TextField(blank=True)
    status_before_hiding = models.CharField(max_length=10, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["status", "title"]),
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["status", "-word_count"]),
            models.Index(fields=["status", "-read_count"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("story", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """`StoryQuerySet.public`, for one story in hand."""
        return self.is_out and not self.unrevealed

    @property
    def is_out(self) -> bool:
        """Published with a released chapter: public, or waiting only for a reveal."""
        return self.status == Status.PUBLISHED and self.chapter_count > 0


@dataclass(frozen=True)
class Byname:
    """A name shown where a story's author is named, with no member behind it (no link)."""

    pk: None
    pen_name: str

    @property
    def name(self) -> str:  # as a pseud's, for bylines
        return self.pen_name

    url = ""  # no page: bylines print the name alone


def shown_authors(story: Story, authors: list) -> list:
    """The authors every page, feed, download and API answer names for this story: its own,
    or one "Anonymous" while it is in an anonymous collection not yet revealed."""
    return [Byname(None, gettext("Anonymous"))] if story.anonymous else authors


def shown_chapter_author(chapter: Chapter):
    """The author a chapter names: its writer, or "Anonymous" as `shown_authors`."""
    return shown_authors(chapter.story, [chapter.author])[0]


class StoryAuthor(models.Model):
    """A credit on a story; position 0 is the main author, then co-authors in order. Each is
    signed with one of the member's pseuds (the byline shows it); `user` stays for who may edit
    and for the legacy pages, which print the pen name."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credits"
    )
    # PROTECT: a pseud with works is deleted only after its works move (stories.actions.pseuds).
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.PROTECT, related_name="credits")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["story", "user"], name="one_credit_per_author")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.story}"


class StoryTag(models.Model):
    """A tag on a story, in the order the author gave (eFiction prints them in that order)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="story_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="story_tags")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["story", "tag"], name="tag_once_per_story")]
        indexes = [models.Index(fields=["tag", "story"])]

    def __str__(self) -> str:
        return f"{self.tag} on {self.story}"


class Chapter(models.Model):
    # Set by the reader pages on chapters only their authors and moderators can see yet; not a
    # column (whether a chapter is released is `is_released`, worked out from its fields).
    unreleased: bool = False

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField(help_text=_("1-based order within the story."))
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chapters",
        help_text=_("May differ from the story's main author (co-authors, round robins)."),
    )
    notes = models.TextField(blank=True, help_text=_("Author's notes before the text."))
    end_notes = models.TextField(blank=True)
    body = models.TextField(help_text=_("Sanitised HTML."))
    word_count = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)
    rating_average = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    release_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Scheduled: not shown before this time.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["story", "position"]
        constraints = [
            models.UniqueConstraint(fields=["story", "position"], name="one_chapter_per_position"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("chapter", args=[self.story_id, self.pk])

    def is_released(self, now: datetime | None = None) -> bool:
        """`ChapterQuerySet.released`, for one chapter in hand."""
        if self.status != Status.PUBLISHED:
            return False
        return self.release_at is None or self.release_at <= (now or timezone.now())

    def is_public(self, now: datetime | None = None) -> bool:
        """Released, in a published story: anyone may read it. (The story's `chapter_count`
        may not yet count a chapter whose time has only just come.)"""
        return (
            self.is_released(now)
            and self.story.status == Status.PUBLISHED
            and not self.story.unrevealed
        )


class Series(models.Model):
    class Openness(models.TextChoices):
        CLOSED = "closed", _("Closed: only the owner adds stories")
        MODERATED = "moderated", _("Moderated: others' additions wait for the owner")
        OPEN = "open", _("Open: anyone may add their stories")

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="series"
    )
    openness = models.CharField(max_length=10, choices=Openness.choices, default=Openness.CLOSED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series", args=[self.pk])


class SeriesEntry(models.Model):
    """One place in a series: a story or a sub-series. Unconfirmed entries await the owner."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField(default=0)
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="series_entries"
    )
    subseries = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="parent_entries"
    )
    confirmed = models.BooleanField(default=True)

    class Meta:
        ordering = ["series", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(story__isnull=False, subseries__isnull=True)
                | models.Q(story__isnull=True, subseries__isnull=False),
                name="entry_is_story_or_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story or self.subseries} in {self.series}"


class Challenge(models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    challenger = models.CharField(
        max_length=100, blank=True, help_text=_("Name shown if no owner.")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="challenges")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ReadMark(models.Model):
    """That a reader read a story on a day: read counts rise once per reader, story and day.

    Rows are written in batches by `stories.reads` and forgotten after two days.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    reader = models.CharField(max_length=64, help_text=_("A member id or a hash for a guest."))
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "reader", "day"], name="one_read_a_day"),
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.reader} read {self.story_id} on {self.day}"


class Block(models.Model):
    """A story, a tag or an author a member never wants to see in lists again.

    Kept beside the stories because every list filters on it (`permissions.listed_stories`);
    the community pages edit it. The table keeps the name it had in the community app.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "community_block"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(story__isnull=False, tag__isnull=True, author__isnull=True)
                | models.Q(story__isnull=True, tag__isnull=False, author__isnull=True)
                | models.Q(story__isnull=True, tag__isnull=True, author__isnull=False),
                name="block_has_one_target",
            ),
            models.UniqueConstraint(fields=["user", "story"], name="block_story_once"),
            models.UniqueConstraint(fields=["user", "tag"], name="block_tag_once"),
            models.UniqueConstraint(fields=["user", "author"], name="block_author_once"),
        ]

    def __str__(self) -> str:
        return f"Block by {self.user_id}"


class CoauthorInvite(models.Model):
    """An author asked another member to share a story's credit; the member must accept."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="invites")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["story", "user"], name="one_invite_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.story}"


class Gift(models.Model):
    """A story given to a member (who hears of it and may refuse it) or to a plain name.

    A refused gift keeps its row, marked `refused_at`, so that editing the story cannot give it
    to that member again; every page leaves refused gifts out (`permissions.shown_gifts`).
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="gifts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="gifts",
    )
    name = models.CharField(
        max_length=100, blank=True, help_text=_("Who the story is for, when not a member here.")
    )
    refused_at = models.DateTimeField(null=True, blank=True)
    # When the recipient heard of it: at once for a public story, else when it is published.
    announced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False, name="")
                | models.Q(recipient__isnull=True) & ~models.Q(name=""),
                name="gift_to_member_or_name",
            ),
            models.UniqueConstraint(
                fields=["story", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="gift_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["story", "name"],
                condition=models.Q(recipient__isnull=True),
                name="gift_once_per_name",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.story} for {self.recipient or self.name}"

    @property
    def shown_name(self) -> str:
        return self.recipient.pen_name if self.recipient is not None else self.name


class StoryRelation(models.Model):
    """A story inspired by, translating or remixing another: a story here or a work elsewhere.

    A link to a story here waits for one of that story's authors to approve it before the
    original's page lists it; the derived story shows what it claims either way (as AO3 does).
    A link to a work elsewhere needs no answer.
    """

    class Kind(models.TextChoices):
        INSPIRED = "inspired", _("Inspired by")
        TRANSLATION = "translation", _("A translation of")
        REMIX = "remix", _("A remix of")

    class Answer(models.TextChoices):
        WAITING = "waiting", _("Waiting for the original's author")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    original = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="related_works"
    )
    url = models.URLField(max_length=500, blank=True, help_text=_("A work elsewhere."))
    title = models.CharField(max_length=200, blank=True, help_text=_("The work elsewhere's title."))
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.WAITING)
    # When the original's authors were asked: once the derived story is public.
    announced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(original__isnull=False, url="")
                | models.Q(original__isnull=True) & ~models.Q(url=""),
                name="relation_to_story_or_address",
            ),
            models.UniqueConstraint(
                fields=["story", "original"],
                condition=models.Q(original__isnull=False),
                name="relation_once_per_original",
            ),
            models.UniqueConstraint(
                fields=["story", "url"],
                condition=models.Q(original__isnull=True),
                name="relation_once_per_address",
            ),
        ]
        indexes = [models.Index(fields=["original", "answer"])]

    def __str__(self) -> str:
        return f"{self.story} {self.get_kind_display().lower()} {self.original or self.url}"

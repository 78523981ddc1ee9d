"""How readers answer and follow: reviews, kudos, favourites, subscriptions, reading history.

Counts shown on stories and chapters (reviews, kudos, favourites, mean rating) are stored there and
kept by `community/actions.py`; nothing else writes these models.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fabula.stories.models import Chapter, Series, Story


@dataclass(frozen=True)
class Signature:
    """The name a review is shown under, the page it links to ("" for none) and the member it
    names (None for a guest or "Anonymous")."""

    name: str
    url: str = ""
    user_id: int | None = None
    guest: bool = False


class Review(models.Model):
    """A review of a story (optionally of one chapter) or of a series, or a reply to a review.

    Guests may review when the site allows it: then `user` is empty and `name` holds what they
    typed. eFiction's rating-only reviews ("No Review") have an empty body and count only in the
    mean rating. Imported reviews keep their eFiction id.
    """

    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    pseud = models.ForeignKey(
        "accounts.Pseud",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
        help_text="The member's pseud it is signed with (none for a guest).",
    )
    name = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("A guest's name, or the pseud's name when written."),
    )
    body = models.TextField(
        blank=True, help_text=_("Sanitised HTML; empty for a rating-only review.")
    )
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("1-10 (half stars) with star ratings; 0 or 1 with like/dislike."),
    )
    by_author = models.BooleanField(
        default=False, help_text=_("A reply written by the work's author.")
    )
    hidden = models.BooleanField(default=False, help_text=_("Hidden by staff."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["story", "created_at"]),
            models.Index(fields=["chapter", "created_at"]),
            models.Index(fields=["user", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(story__isnull=False, series__isnull=True)
                | Q(story__isnull=True, series__isnull=False),
                name="review_of_story_or_series",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} by {self.name or 'a guest'}"

    def get_absolute_url(self) -> str:
        """The review in its thread, on the page of what it reviews."""
        if self.chapter_id is not None:
            base = reverse("chapter", args=[self.story_id, self.chapter_id])
        elif self.story_id:
            base = reverse("story", args=[self.story_id])
        else:
            base = reverse("series", args=[self.series_id])
        return f"{base}#review-{self.parent_id or self.pk}"

    @property
    def signature(self) -> Signature:
        """The name and link every page, alert and API answer shows for this review. An
        author's reply on a story signed "Anonymous" (`Story.anonymous`, until the reveal) is
        "Anonymous" with no link, as the story's byline (`stories.models.shown_authors`);
        asked at display time, so the reveal brings the pseud back. Reads `story`: load it
        with the review (`community.selectors.review_threads` does)."""
        story = self.story  # None for a series' review, at no query
        if self.by_author and story is not None and story.anonymous:
            return Signature(gettext("Anonymous"))
        pseud = self.pseud if self.pseud_id is not None else None
        if pseud is not None:
            url = reverse("pseud", args=[self.user_id, pseud.pk])
            return Signature(pseud.name, url, self.user_id)
        if self.user_id is not None:
            return Signature(self.name, reverse("author", args=[self.user_id]), self.user_id)
        return Signature(self.name, guest=True)  # pages print "A guest" for an empty name


class Kudos(models.Model):
    """One per member or guest per story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kudos",
    )
    guest = models.CharField(max_length=64, blank=True, help_text=_("A hash naming a guest."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.UniqueConstraint(
                fields=["story", "user"],
                condition=Q(user__isnull=False),
                name="kudos_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["story", "guest"],
                condition=Q(user__isnull=True),
                name="kudos_once_per_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"Kudos on story {self.story_id}"


class Target(models.Model):
    """Something a member can favourite or follow: a story, an author or a series (one of them)."""

    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(story__isnull=False, author__isnull=True, series__isnull=True)
                | Q(story__isnull=True, author__isnull=False, series__isnull=True)
                | Q(story__isnull=True, author__isnull=True, series__isnull=False),
                name="%(class)s_has_one_target",
            ),
        ]


class Favourite(Target):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites"
    )
    note = models.TextField(blank=True)
    public = models.BooleanField(
        default=True, help_text=_("Others see the note on the member's page.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(Target.Meta):
        constraints = [
            *Target.Meta.constraints,
            models.UniqueConstraint(fields=["user", "story"], name="favourite_story_once"),
            models.UniqueConstraint(fields=["user", "author"], name="favourite_author_once"),
            models.UniqueConstraint(fields=["user", "series"], name="favourite_series_once"),
        ]

    def __str__(self) -> str:
        return f"Favourite of {self.user_id}: {self.story_id or self.author_id or self.series_id}"


class Subscription(Target):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(Target.Meta):
        constraints = [
            *Target.Meta.constraints,
            models.UniqueConstraint(fields=["user", "story"], name="subscription_story_once"),
            models.UniqueConstraint(fields=["user", "author"], name="subscription_author_once"),
            models.UniqueConstraint(fields=["user", "series"], name="subscription_series_once"),
        ]

    def __str__(self) -> str:
        return (
            f"Subscription of {self.user_id}: {self.story_id or self.author_id or self.series_id}"
        )


class Reading(models.Model):
    """A member's place in a story: history, 'marked for later', and where they stopped."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="readings")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.FloatField(default=0, help_text=_("How far into the chapter, 0 to 1."))
    marked_for_later = models.BooleanField(default=False)
    last_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="one_reading_per_story")
        ]
        indexes = [models.Index(fields=["user", "-last_read_at"])]

    def __str__(self) -> str:
        return f"Reading of story {self.story_id} by {self.user_id}"


class MemberPreferences(models.Model):
    """A member's choice about reading history; a row appears on the first change.

    Kept here, not on the User, because only this app reads it. (How alerts reach the member
    is `User.alerts`, read by `fabula.notifications`.)
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_preferences"
    )
    keep_history = models.BooleanField(default=True, help_text=_("Remember what the member reads."))

    class Meta:
        verbose_name_plural = "member preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user_id}"


class ReadingList(models.Model):
    """A member's named list of others' stories, in their order, each with a note (AO3's rec
    bookmarks). A private list is seen by its owner only; a public one by anyone, each reader
    seeing only the stories they may (`permissions.reading_list_stories`)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_lists"
    )
    name = models.CharField(max_length=100)
    public = models.BooleanField(default=False, help_text=_("Anyone may see the list."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="reading_list_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:reading-list", args=[self.pk])


class ReadingListEntry(models.Model):
    """A story on a reading list, at its place, with the member's note (sanitised HTML)."""

    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="entries")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reading_list_entries")
    position = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, help_text=_("Sanitised HTML."))
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reading_list", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reading_list", "story"], name="story_once_per_list"),
        ]

    def __str__(self) -> str:
        return f"Story {self.story_id} on list {self.reading_list_id}"

"""Collections: stories gathered under a name by their maintainers, as on the Archive of Our Own.

A collection is plain (a curated set), a challenge (with prompts that works answer) or a gift
exchange (members sign up with offers and requests, the maintainers match them, each writes a
gift for their recipient before the deadline). A story is in a collection when its author and
the collection both said yes (`CollectionItem.approved`): the author by adding it or accepting a
maintainer's invitation, the collection by being open or by a maintainer approving it.

While a collection is unrevealed its works are hidden, and while it is anonymous their authors
are; what the rest of the archive sees of that is two flags on the story (`Story.unrevealed`,
`Story.anonymous`), kept by `collections.actions` and read by `stories.permissions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fabula.stories.models import Challenge, Story
from fabula.taxonomy.models import Tag


class Collection(models.Model):
    class Kind(models.TextChoices):
        COLLECTION = "collection", _("Collection")
        CHALLENGE = "challenge", _("Challenge (with prompts)")
        EXCHANGE = "exchange", _("Gift exchange")

    class Openness(models.TextChoices):
        OPEN = "open", _("Open: members add their works at once")
        MODERATED = "moderated", _("Moderated: members' works wait for a maintainer")
        CLOSED = "closed", _("Closed: only maintainers' invitations")

    name = models.SlugField(
        max_length=60, unique=True, help_text=_("Its address: letters, digits, -")
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text=_("Plain text."))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COLLECTION)
    openness = models.CharField(max_length=10, choices=Openness.choices, default=Openness.OPEN)
    anonymous = models.BooleanField(
        default=False, help_text=_("Its works' authors show as Anonymous until the reveal.")
    )
    unrevealed = models.BooleanField(
        default=False,
        help_text=_(
            "Its works are seen only by their authors and the maintainers until the reveal."
        ),
    )
    maintainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="maintained_collections"
    )
    # Gift exchanges: when members may sign up, and when gifts are due.
    signup_opens = models.DateTimeField(null=True, blank=True)
    signup_closes = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    # The eFiction challenge this collection carries (imported challenges keep their page).
    challenge = models.OneToOneField(
        Challenge, null=True, blank=True, on_delete=models.SET_NULL, related_name="collection"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collections:detail", args=[self.name])

    @property
    def is_exchange(self) -> bool:
        return self.kind == self.Kind.EXCHANGE

    def signups_open(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.is_exchange:
            return False
        if self.signup_opens and now < self.signup_opens:
            return False
        return not (self.signup_closes and now >= self.signup_closes)


class Prompt(models.Model):
    """What a challenge asks for; a work in the collection may answer one."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="prompts")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["collection", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    """A story offered to a collection. It is in the collection once both sides said yes."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="collection_items")
    prompt = models.ForeignKey(
        Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    author_approved = models.BooleanField(default=False)
    collection_approved = models.BooleanField(default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "story"], name="story_once_per_collection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.story} in {self.collection}"

    @property
    def approved(self) -> bool:
        return self.author_approved and self.collection_approved


class Signup(models.Model):
    """A member's sign-up to a gift exchange: what they would write, what they would like."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signups"
    )
    offers = models.ManyToManyField(Tag, related_name="+", blank=True)
    requests = models.ManyToManyField(Tag, related_name="+", blank=True)
    notes = models.TextField(blank=True, help_text=_("What you would like, in a few words."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "user"], name="one_signup_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.collection}"


class Assignment(models.Model):
    """Who writes for whom in an exchange, made by the matching (`collections.matching`)."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="assignments")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gifts_due"
    )
    overlap = models.PositiveIntegerField(default=0, help_text=_("Tags offered and requested."))
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )

    class Meta:
        ordering = ["collection", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "giver"], name="one_gift_per_giver"),
            models.UniqueConstraint(
                fields=["collection", "recipient"], name="one_gift_per_recipient"
            ),
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("recipient")), name="no_gift_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} writes for {self.recipient} in {self.collection}"

"""What the API keeps: members' personal access tokens, and the digests of built e-books.

A token reads `fabt_<lookup>_<secret>`; only a SHA-256 of the whole token is stored (a token is
long and random, so a fast hash is enough, unlike a password) and `lookup`, not secret, finds
the row. The member sees the token once, when it is made.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fabula.accounts.models import MemberCredential


class ApiToken(MemberCredential):
    class Scope(models.TextChoices):
        READ = "read", _("Read: what you may see, your lists and history")
        WRITE = "write", _("Read and write: also favourites, reviews, stories and chapters")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    lookup = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the token, in hex.")

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class BookDigest(models.Model):
    """The document id KOReader computes for an EPUB Fabula built (its "partial MD5"), and the
    story and version it was built from: what a sync request's document names."""

    digest = models.CharField(max_length=32, unique=True)
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="+")
    version = models.CharField(max_length=64)
    # Where each chapter is in the book, as `positions.ChapterMap.to_json` writes it: its id,
    # its DocFragment number and its blocks, so KOReader's places map to Fabula's.
    chapters = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.digest} = story {self.story_id}"


class SyncedProgress(models.Model):
    """The last place KOReader sent for a member's story, as it sent it (its own xpointer and
    device), answered back while no newer place was saved on the web (`Reading`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=32, help_text="The book it was read in.")
    progress = models.CharField(max_length=1000)
    percentage = models.FloatField()
    device = models.CharField(max_length=100, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="one_synced_place_per_story")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in story {self.story_id}: {self.progress}"

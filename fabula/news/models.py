"""What the staff say to everyone: news posts (with members' comments) and the site's own
pages (about, rules, FAQ, terms), linked in the footer.

Bodies are HTML written by staff and cleaned on the way in (`actions`, through
`conf.markup.sanitize`); comments are plain text. Nothing but `actions` writes these models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> "PostQuerySet":
        """What everyone may read: posts whose publication time has come."""
        return self.filter(published_at__lte=timezone.now())


class Post(models.Model):
    """A news post. Without `published_at` it is a draft; with a future one it is scheduled;
    either way only staff see it until then."""

    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("HTML; cleaned to the site's allowed tags when saved."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty: a draft. In the future: shown from then on.")
    )
    comments_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:post", args=[self.pk])

    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class Comment(models.Model):
    """A member's comment under a news post; staff may hide it (in the admin)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    body = models.TextField()
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.post_id}"


class Page(models.Model):
    """One of the site's own pages, at /pages/<slug>/; published ones in the footer."""

    slug = models.SlugField(
        unique=True, help_text=_("Its address: /pages/<slug>/ (about, rules…).")
    )
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("HTML; cleaned to the site's allowed tags when saved."))
    published = models.BooleanField(default=True)
    in_footer = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order in the footer."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="page_has_a_slug")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:page", args=[self.slug])

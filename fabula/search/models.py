"""Saved searches. The search index itself is not a Django model: it is an FTS5 table on
SQLite and a table with tsvector columns on PostgreSQL, both created by migration 0001 and
written only by `fabula.search.indexing`."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _feed_token() -> str:
    return secrets.token_urlsafe(18)


class SavedSearch(models.Model):
    """A member's search (the query and every filter, as the query string of the results page),
    with a secret token so a feed reader can fetch its Atom feed without logging in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query_string = models.CharField(
        max_length=2000, help_text=_("q, sort and filters, URL-encoded.")
    )
    feed_token = models.CharField(max_length=40, default=_feed_token, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('search:results')}?{self.query_string}"

    def feed_url(self) -> str:
        return reverse("search:feed", args=[self.pk, self.feed_token])

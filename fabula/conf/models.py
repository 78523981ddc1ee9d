"""Site-wide options an administrator edits in the admin, kept in the database.

There is exactly one row. Reads go through `site_settings()`, which keeps the row in the cache so
a page view costs no query for it, and keeps it for the rest of a request once read.
"""

from contextvars import ContextVar

from django.core.cache import cache
from django.core.validators import MinValueValidator
from django.db import models
from django.db.utils import OperationalError, ProgrammingError
from django.utils.translation import gettext_lazy as _

from fabula.lib.changes import changed
from fabula.lib.scrapers import default_ai_txt, default_robots_txt

_CACHE_KEY = "fabula:site-settings"
_CACHE_SECONDS = 30
# The settings a request has read, from its start to its end (`keep_for_request`, on Django's
# request signals); None outside a request, where every call reads the cache. A list of cards
# asked for them fifty times a page, each a cache read and a copy unpickled (a round trip to
# Redis on a site with several nodes). A dict filled in place, not a value set again: a view
# run in a thread of its own (ASGI) sees a copy of the request's context, and a `set` there
# would not reach the rest of the request.
_this_request: ContextVar[dict | None] = ContextVar("fabula_site_settings", default=None)


class SiteSettings(models.Model):
    site_name = models.CharField(max_length=100, default="Fabula")
    slogan = models.CharField(max_length=200, blank=True, default="A fan-fiction archive")
    site_url = models.URLField(
        default="http://127.0.0.1:8000",
        help_text=_(
            "The address readers use, without a trailing slash. Used in printable pages, "
            "feeds and e-books."
        ),
    )
    date_format = models.CharField(
        max_length=40,
        default="F d, Y",
        help_text=_("A PHP date() format, as eFiction used: 'F d, Y' gives 'May 29, 2007'."),
    )
    items_per_page = models.PositiveSmallIntegerField(default=25, validators=[MinValueValidator(1)])
    legacy_prefix = models.CharField(
        max_length=100,
        default="fanfiction",
        blank=True,
        help_text=_(
            "The folder the old eFiction archive lived in: its links "
            "(/fanfiction/viewstory.php?sid=1) keep working. Empty for the site root."
        ),
    )
    welcome = models.TextField(blank=True, default="", help_text=_("HTML shown on the home page."))
    printer_copyright = models.TextField(
        blank=True, default="", help_text=_("Disclaimer printed at the end of printable stories.")
    )
    footer = models.TextField(blank=True, default="")
    extend_categories = models.BooleanField(
        default=False, help_text=_("Show categories as 'Parent > Child' breadcrumbs.")
    )
    new_story_days = models.PositiveSmallIntegerField(
        default=7, help_text=_("Stories updated this many days ago or less are marked New.")
    )
    reviews_allowed = models.BooleanField(default=True)
    anonymous_reviews = models.BooleanField(default=False)

    class ReviewRatings(models.TextChoices):
        NONE = "none", _("No ratings")
        STARS = "stars", _("Stars (one to five, halves allowed)")
        LIKE = "like", _("Like or dislike")

    review_ratings = models.CharField(
        max_length=10,
        choices=ReviewRatings.choices,
        default=ReviewRatings.STARS,
        help_text=_("How a review may rate the work (eFiction's 'ratings' setting)."),
    )
    authors_delete_reviews = models.BooleanField(
        default=False,
        help_text=_("Authors may delete reviews of their own work (eFiction's 'revdelete')."),
    )
    auto_validate = models.BooleanField(
        default=False, help_text=_("Publish new stories without waiting in the validation queue.")
    )
    submissions_open = models.BooleanField(default=True)
    max_chapter_characters = models.PositiveIntegerField(default=510_000)
    allowed_tags = models.TextField(
        blank=True,
        default="",
        help_text=_(
            "HTML tags authors may use, separated by spaces (e.g. 'p br em strong'). Empty: "
            "Fabula's own list. Scripts, styles, forms and frames are never allowed, whatever is "
            "written here."
        ),
    )
    terms = models.TextField(blank=True, default="")
    age_statement = models.CharField(
        max_length=300,
        blank=True,
        default="By continuing you confirm that you are old enough to read this story.",
    )
    robots_txt = models.TextField(
        blank=True,
        default=default_robots_txt,
        help_text=_(
            "Served as /robots.txt. Known AI crawlers are refused by the server whatever "
            "this says; this file tells the polite ones the archive's rules."
        ),
    )
    ai_txt = models.TextField(
        blank=True,
        default=default_ai_txt,
        help_text=_("Served as /ai.txt: whether the archive's works may be used for AI training."),
    )

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return self.site_name

    def save(self, *args, **kwargs):
        self.pk = 1
        self.site_url = self.site_url.rstrip("/")
        self.legacy_prefix = self.legacy_prefix.strip("/")
        super().save(*args, **kwargs)
        forget_site_settings()
        changed()  # dates, names and links on cached pages follow the settings

    @property
    def legacy_root(self) -> str:
        """Absolute address of the old archive's folder, as eFiction's `url` setting held it."""
        return f"{self.site_url}/{self.legacy_prefix}" if self.legacy_prefix else self.site_url


def site_settings() -> SiteSettings:
    """The archive's SiteSettings, from the cache when it has them.

    Other workers see an edit within half a minute; the worker that saved it sees it at once.
    A request sees one version of them from start to end. Before the first migration (no table
    yet) the defaults are returned, unsaved.
    """
    kept = _this_request.get()
    if kept:
        return kept["settings"]
    current = cache.get(_CACHE_KEY)
    if current is None:
        try:
            current, _ = SiteSettings.objects.get_or_create(pk=1)
        except (OperationalError, ProgrammingError):
            return SiteSettings(pk=1)
        cache.set(_CACHE_KEY, current, _CACHE_SECONDS)
    if kept is not None:
        kept["settings"] = current
    return current


def forget_site_settings() -> None:
    cache.delete(_CACHE_KEY)
    kept = _this_request.get()
    if kept:
        kept.clear()


def keep_for_request(**_signal) -> None:
    """On `request_started`: keep the settings once read, until the request ends."""
    _this_request.set({})


def read_afresh(**_signal) -> None:
    """On `request_finished`: back to reading the cache at every call."""
    _this_request.set(None)

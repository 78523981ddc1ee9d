"""Members of the archive.

A member is known everywhere by a pen name. Staff levels follow eFiction's: an administrator may do
everything, a moderator works the validation queue and reports (optionally only in some
categories). A trusted author's work skips the validation queue.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# The orders of story lists a member may prefer (User.default_sort): the key in `?sort=` and its
# label. Here, below stories, so the preferences form can offer them; each list's ORDER BY is
# `stories.listing.pages.SORTS`, which is built from this.
STORY_SORTS: dict[str, str] = {
    "title": gettext_noop("Title"),
    "updated": gettext_noop("Updated"),
    "published": gettext_noop("Published"),
    "words": gettext_noop("Words"),
    "reads": gettext_noop("Reads"),
}


class MemberCredential(models.Model):
    """A secret a member made for one program (an app password, an API token): named for it,
    stored only as a hash by the app that owns it, and noted when used, at most every
    USE_RESOLUTION so a busy program does not write a row per request."""

    USE_RESOLUTION = timedelta(minutes=10)

    name = models.CharField(max_length=100, help_text=_("Which app or device uses it."))
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"  # type: ignore[attr-defined]

    def use_due(self, now: datetime) -> bool:
        """Is it time to note a use again?"""
        return self.last_used_at is None or now - self.last_used_at > self.USE_RESOLUTION


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, pen_name: str, email: str = "", password: str | None = None, **extra):
        user = self.model(pen_name=pen_name.strip(), email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        # Every member signs with a pseud from the start: the default one, their pen name. Here,
        # not in an action, so no way of making a member leaves one without a name to sign with.
        Pseud.objects.using(self._db).create(user=user, name=user.pen_name, is_default=True)
        return user

    def create_superuser(
        self, pen_name: str, email: str = "", password: str | None = None, **extra
    ):
        extra.update(is_staff=True, is_superuser=True, level=User.Level.ADMIN)
        return self.create_user(pen_name, email, password, **extra)

    def get_by_natural_key(self, pen_name):
        return self.get(pen_name__iexact=pen_name)


class User(AbstractBaseUser, PermissionsMixin):
    class Level(models.IntegerChoices):
        MEMBER = 0, _("Member")
        ADMIN = 1, _("Administrator")
        MODERATOR = 2, _("Moderator")

    class Alerts(models.TextChoices):
        IMMEDIATE = "immediate", _("An email at once")
        DAILY = "daily", _("One email a day at most")
        OFF = "off", _("No email (the notifications page only)")

    class Theme(models.TextChoices):
        AUTO = "auto", _("As the device")
        LIGHT = "light", _("Light")
        DARK = "dark", _("Dark")

    pen_name = models.CharField(max_length=60, unique=True)
    email = models.EmailField(blank=True)
    real_name = models.CharField(max_length=100, blank=True)
    bio = models.TextField(blank=True, help_text=_("Sanitised HTML."))
    website = models.URLField(blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True, help_text=_("Off for a locked or banned member."))
    is_staff = models.BooleanField(default=False, help_text=_("May use the admin site."))
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MEMBER)
    trusted = models.BooleanField(
        default=False, help_text=_("New work skips the validation queue.")
    )
    locked = models.BooleanField(
        default=False, help_text=_("Locked by staff: may read and log in, but not post or review.")
    )
    wrangler = models.BooleanField(
        default=False, help_text=_("Wrangles tags (moderators and administrators do too).")
    )
    moderated_categories = models.ManyToManyField(
        "taxonomy.Tag",
        blank=True,
        related_name="moderators",
        help_text=_(
            "A moderator limited to these categories (and their sub-categories); none: all."
        ),
    )
    # Preferences.
    age_consent = models.BooleanField(default=False, help_text=_("Skip age-consent questions."))
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.AUTO)
    text_size = models.PositiveSmallIntegerField(default=100)
    default_sort = models.CharField(max_length=20, blank=True)
    # The interface's language (settings.LANGUAGES); blank: the browser's (lib/languages.py).
    language = models.CharField(max_length=10, blank=True)
    alerts = models.CharField(
        max_length=10,
        choices=Alerts.choices,
        default=Alerts.IMMEDIATE,
        help_text=_("How notifications reach the member by email (fabula.notifications)."),
    )

    objects = UserManager()

    USERNAME_FIELD = "pen_name"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("pen_name"), name="pen_name_unique_ignoring_case"),
        ]
        ordering = ["pen_name"]

    def __str__(self) -> str:
        return self.pen_name

    def get_absolute_url(self) -> str:
        return reverse("author", args=[self.pk])

    @property
    def is_wrangler(self) -> bool:
        """Wrangles tags: a member named wrangler, or staff."""
        return self.is_active and (self.wrangler or self.is_moderator)

    @property
    def is_moderator(self) -> bool:
        return self.is_active and (
            self.is_superuser or self.level in (self.Level.ADMIN, self.Level.MODERATOR)
        )


class Pseud(models.Model):
    """A pen name a member signs work with; a member has one or more, one of them the default
    (first their account's pen name). Names are unique ignoring case across the archive, pen
    names and pseuds alike in practice, since every pen name is some member's first pseud:
    readers find authors by these names. Writes: `fabula.accounts.actions` (pseud_*), moving
    works: `fabula.stories.actions.pseuds`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=60)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), name="pseud_name_unique_ignoring_case"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="one_default_pseud_per_member",
            ),
        ]
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pseud", args=[self.user_id, self.pk])

    @property
    def url(self) -> str:
        """For bylines, which take anything with a `name` and a `url`."""
        return self.get_absolute_url()

"""Every write to members: joining, profile, preferences, the Orphan Account.

Staff actions on members (lock, ban) are in `fabula.moderation.actions`. Leaving (deleting an
account) decides what becomes of the member's stories, so it is a story workflow:
`fabula.stories.actions.members.account_delete`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fabula.accounts.models import Pseud, User
from fabula.conf.actions import site_settings_update
from fabula.conf.markup import sanitize
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused
from fabula.lib.text import invisible_character
from fabula.lib.weblinks import web_address
from fabula.lib.words import normal_pen_name

ORPHAN_PEN_NAME = "Orphan Account"


def member_register(*, pen_name: str, email: str, password: str) -> User:
    pen_name = normal_pen_name(pen_name)
    if invisible_character(pen_name):
        raise ActionRefused(_("A pen name cannot hold invisible characters."))
    # A pen name becomes the member's first pseud, so another member's pseud takes it too.
    if (
        User.objects.filter(pen_name__iexact=pen_name).exists()
        or Pseud.objects.filter(name__iexact=pen_name).exists()
    ):
        raise ActionRefused(_("The pen name “%(pen_name)s” is taken.") % {"pen_name": pen_name})
    return User.objects.create_user(pen_name, email, password)


@transaction.atomic
def archive_setup(
    *, site_name: str, site_url: str, pen_name: str, email: str, password: str
) -> User:
    """The first run (`fabula setup`): the archive's name and address, and its first
    administrator, who may use the admin site."""
    site_settings_update(values={"site_name": site_name, "site_url": site_url})
    admin = member_register(pen_name=pen_name, email=email, password=password)
    admin.is_staff = admin.is_superuser = True
    admin.level = User.Level.ADMIN
    admin.save(update_fields=["is_staff", "is_superuser", "level"])
    return admin


def profile_update(*, user: User, real_name: str, email: str, bio: str, website: str) -> None:
    address = web_address(website)
    if address is None:
        raise ActionRefused(_("A web site's address starts with http:// or https://."))
    user.real_name = real_name.strip()
    user.email = User.objects.normalize_email(email.strip())
    user.bio = sanitize(bio)
    user.website = address
    user.save(update_fields=["real_name", "email", "bio", "website"])
    changed()  # the author page shows the profile


def preferences_update(
    *,
    user: User,
    age_consent: bool,
    theme: str,
    text_size: int,
    default_sort: str,
    alerts: str,
    language: str = "",
) -> None:
    """The member's preferences, one page of them (alerts included: `fabula.notifications`
    reads `alerts` to decide what it emails)."""
    if alerts not in User.Alerts.values:
        raise ActionRefused(_("Alerts are 'immediate', 'daily' or 'off'."))
    _check_language(language)
    user.age_consent, user.theme, user.text_size = age_consent, theme, text_size
    user.default_sort, user.alerts, user.language = default_sort, alerts, language
    user.save(
        update_fields=["age_consent", "theme", "text_size", "default_sort", "alerts", "language"]
    )


def language_choose(*, user: User, language: str) -> None:
    """The interface's language for this member on every device ("": the browser's)."""
    _check_language(language)
    user.language = language
    user.save(update_fields=["language"])


def _check_language(language: str) -> None:
    if language and language not in dict(settings.LANGUAGES):
        raise ActionRefused(_("There is no interface in that language."))


def orphan_account() -> User:
    """The member that keeps stories whose authors left them to the archive. Nobody can log in
    as it."""
    orphan = User.objects.filter(pen_name__iexact=ORPHAN_PEN_NAME).first()
    if orphan is None:
        orphan = User.objects.create_user(ORPHAN_PEN_NAME, "", None)  # unusable password
    return orphan

"""Start-up checks on how the site is configured.

`refuse_insecure_key` stops a production server outright; the Django system checks below only
warn (`fabula check`, and before `migrate` and the development server start).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import OperationalError, ProgrammingError
from django.http.request import validate_host


def refuse_insecure_key() -> None:
    """A production server must never sign sessions with the key published in the source."""
    if settings.SECRET_KEY == settings.INSECURE_KEY and not settings.DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a long random string (or DEBUG=1 to develop)."
        )


def configured_site_url() -> str:
    """The site address as saved, without creating the settings row (a check must not write)."""
    from fabula.conf.models import SiteSettings

    try:
        saved = SiteSettings.objects.filter(pk=1).values_list("site_url", flat=True).first()
    except (OperationalError, ProgrammingError):  # no database or no table yet
        saved = None
    return saved or SiteSettings().site_url


@register()
def site_address_is_served(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Every absolute link in emails, feeds, OPDS and downloads starts with the site address:
    if the site does not answer to its host, every one of those links is broken."""
    url = configured_site_url()
    host = urlsplit(url).hostname or ""
    if ":" in host:  # an IPv6 address: ALLOWED_HOSTS spells it in brackets
        host = f"[{host}]"
    if validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        Warning(
            f"The site address {url} (site settings) names the host {host!r}, which is not in "
            f"ALLOWED_HOSTS ({', '.join(settings.ALLOWED_HOSTS) or 'empty'}).",
            hint="Correct the site address in the admin's site settings, or add its host to "
            "the ALLOWED_HOSTS environment variable: links in emails, feeds, OPDS and "
            "downloads use the site address.",
            id="fabula.W001",
        )
    ]

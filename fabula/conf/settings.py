"""Reading the site settings: one cached row, loaded on first use."""

from django.core.cache import cache
from django.db.utils import OperationalError, ProgrammingError

_CACHE_KEY = "fabula:site-settings"
_CACHE_SECONDS = 30


def site_settings():
    """The archive's SiteSettings, from the cache when it has them.

    Other workers see an edit within half a minute; the worker that saved it sees it at once.
    Before the first migration (no table yet) the defaults are returned, unsaved.
    """
    from fabula.conf.models import SiteSettings

    current = cache.get(_CACHE_KEY)
    if current is None:
        try:
            current, _ = SiteSettings.objects.get_or_create(pk=1)
        except (OperationalError, ProgrammingError):
            return SiteSettings(pk=1)
        cache.set(_CACHE_KEY, current, _CACHE_SECONDS)
    return current


def forget_site_settings() -> None:
    cache.delete(_CACHE_KEY)

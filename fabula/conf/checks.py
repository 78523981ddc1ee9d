from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_insecure_key() -> None:
    """A production server must never sign sessions with the key published in the source."""
    if settings.SECRET_KEY == settings.INSECURE_KEY and not settings.DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a long random string (or DEBUG=1 to develop)."
        )

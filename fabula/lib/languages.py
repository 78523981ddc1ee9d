"""Which language the interface speaks to this request.

Django's LocaleMiddleware chooses from the language cookie (the footer's switcher, for a guest)
and the browser's Accept-Language, and falls back to English. A member who chose a language in
their preferences (or through the switcher, which saves it for them) gets that one first, on
every device. Stories keep their own language (`Story.language`) whatever the interface speaks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def interface_languages() -> dict[str, str]:
    return dict(settings.LANGUAGES)


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request) -> None:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if user is not None and user.is_authenticated and chosen in interface_languages():
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


def in_english(view: Callable) -> Callable:
    """The view answers in English whatever the reader's language: eFiction's frozen pages,
    whose markup scrapers read byte for byte."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with translation.override("en"):
            response = view(*args, **kwargs)
            # A template response renders later, outside the override: render it here.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        # LocaleMiddleware names the request's language unless the page already says.
        response.headers.setdefault("Content-Language", "en")
        return response

    return wrapper

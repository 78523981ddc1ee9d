"""HTML from members cleaned as this site allows: `lib.html`'s sanitizer with the tags the
administrator chose (`SiteSettings.allowed_tags`, read from the cache).

`lib.html` does the cleaning and takes the choice as an argument, since lib reads no app; every
action that stores HTML from outside calls these two.
"""

from __future__ import annotations

from collections.abc import Callable

from fabula.conf.models import site_settings
from fabula.lib import html


def sanitize(value: str) -> str:
    """`value` made safe, keeping only the tags this site allows."""
    return html.sanitize(value, allowed=site_settings().allowed_tags) if value else ""


def sanitizer() -> Callable[[str], str]:
    """`sanitize` with the site's choice read once, for many values in a row (an import)."""
    return html.sanitizer(allowed=site_settings().allowed_tags)

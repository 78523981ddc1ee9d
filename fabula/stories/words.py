"""The site's own words that a story card and a story's header print, in the reader's language.

Both are built in Python (`listing.cards.card_html`, `templatetags.story_meta`), a card 25 times
a page: each word is asked of gettext once per language, not once per card, and kept escaped,
ready to go into HTML.
"""

from __future__ import annotations

import functools
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def story_words() -> dict[str, str]:
    """The words in the current language."""
    return _words(translation.get_language())


@functools.cache
def _words(language: str) -> dict[str, str]:  # `language`: the key of what gettext gives
    # Each text a plain call (gettext's extractor does not look inside f-strings).
    yes, no = _("Yes,No").split(",")[:2]
    words = {
        "new": _("New"),
        "members_only": _("Members only"),
        "members_only_title": _("Only members who are logged in see this story."),
        "not_released": _("No chapter released yet"),
        "by": pgettext("written by", "by"),
        "about": _("About this story"),
        "summary": _("Summary"),
        "rated": _("Rated"),
        "categories": _("Categories"),
        "characters": _("Characters"),
        "tags": _("Tags"),
        "challenges": _("Challenges"),
        "series": _("Series"),
        "language": _("Language"),
        "completed": _("Completed"),
        "published": _("Published"),
        "updated": _("Updated"),
        "none": _("None"),
        "not_yet": _("Not yet"),
        "stats": _("Stats"),
        "words": _("Words"),
        "chapters": _("Chapters"),
        "kudos": _("Kudos"),
        "favourites": _("Favourites"),
        "reviews": _("Reviews"),
        "hits": _("Hits"),
        "yes": yes,
        "no": no,
    }
    return {name: escape(value) for name, value in words.items()}

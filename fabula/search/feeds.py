"""The Atom feed of a saved search: the newest matching stories, newest update first.

A feed reader fetches it without logging in, with the secret token in the address; it sees what
the member who saved the search may see in lists. Each story's entry id stays the same and its
`updated` follows the story, so a reader shows new matches and updated stories as new items.
"""

from __future__ import annotations

from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone

from fabula.conf.models import site_settings
from fabula.lib.text import xml_safe
from fabula.search.models import SavedSearch
from fabula.search.results import feed_stories
from fabula.stories.listing.cards import make_cards


def atom(request, search_: SavedSearch) -> bytes:
    stories = feed_stories(search_.user, QueryDict(search_.query_string))
    updated = max((s.updated_at for s in stories if s.updated_at), default=search_.created_at)
    # xml_safe: old data may hold a control character, which XML readers refuse.
    return xml_safe(
        render_to_string(
            "search/feed.xml",
            {
                "search": search_,
                "cards": make_cards(stories),
                "updated": updated or timezone.now(),
                # The configured address, never the request's host: the feed is what a reader
                # app keeps, and the Host header is the client's to choose.
                "base": site_settings().site_url,
            },
            request=request,
        )
    ).encode()

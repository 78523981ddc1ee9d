"""Every write of the search app: members' saved searches."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fabula.accounts.models import User
from fabula.lib.refusals import ActionRefused
from fabula.lib.words import tidy_title
from fabula.search.models import SavedSearch
from fabula.search.saved import MAX_SAVED, clean_query_string


def saved_search_create(*, user: User, name: str, query_string: str) -> SavedSearch:
    """Keep a search under a name (only the parameters a search reads are kept)."""
    query_string = clean_query_string(query_string)
    if not query_string:
        raise ActionRefused(_("There is nothing to save: search for something first."))
    name = tidy_title(name)[:100] or "My search"
    if user.saved_searches.count() >= MAX_SAVED:
        raise ActionRefused(
            _("You can keep at most %(MAX_SAVED)s saved searches: delete one first.")
            % {"MAX_SAVED": MAX_SAVED}
        )
    return SavedSearch.objects.create(user=user, name=name, query_string=query_string)


def saved_search_delete(*, search_: SavedSearch) -> None:
    search_.delete()

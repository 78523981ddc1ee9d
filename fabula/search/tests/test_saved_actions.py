"""Saved searches' actions, called by name."""

from __future__ import annotations

import pytest

from fabula.lib.refusals import ActionRefused
from fabula.search import actions
from fabula.search.models import SavedSearch

pytestmark = pytest.mark.django_db


def test_saved_search_create_keeps_only_what_a_search_reads(reader):
    saved = actions.saved_search_create(
        user=reader, name="  Slow   burns ", query_string="?q=burn&page=3&sort=new"
    )
    assert (saved.name, saved.query_string) == ("Slow burns", "q=burn&sort=new")
    with pytest.raises(ActionRefused, match="nothing to save"):
        actions.saved_search_create(user=reader, name="Empty", query_string="?page=2")
    actions.saved_search_delete(search_=saved)
    assert not SavedSearch.objects.exists()

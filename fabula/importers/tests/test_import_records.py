"""The import's bookkeeping actions, called by name."""

from __future__ import annotations

import pytest

from fabula.importers import actions
from fabula.importers.models import ImportRecord

pytestmark = pytest.mark.django_db


def test_import_records_added_and_forgotten():
    actions.import_records_add(
        source="efiction", records=[("stories", "1", 1), ("stories", "2", 2), ("index", "1", None)]
    )
    actions.import_records_forget(source="efiction", kind="stories", keys=["2"])
    assert sorted(ImportRecord.objects.values_list("kind", "key", "new_id")) == [
        ("index", "1", None),
        ("stories", "1", 1),
    ]

"""`site_settings_update`, called by name."""

from __future__ import annotations

import pytest

from fabula.conf.actions import site_settings_update
from fabula.conf.models import SiteSettings, site_settings

pytestmark = pytest.mark.django_db


def test_site_settings_update_sets_only_what_it_names():
    site_settings_update(values={"site_name": "Old Name", "slogan": "Kept"})
    site_settings_update(values={"site_name": "New Name"})
    site = SiteSettings.objects.get()
    assert (site.site_name, site.slogan) == ("New Name", "Kept")
    assert site_settings().site_name == "New Name"  # the cached copy follows

"""The one write of the site settings: `site_settings_update`, for commands and importers (the
admin edits the row through its own form; both end in `SiteSettings.save`, which forgets the
cached copy and retires cached pages)."""

from __future__ import annotations

from typing import Any

from fabula.conf.models import SiteSettings


def site_settings_update(*, values: dict[str, Any]) -> SiteSettings:
    """Set the settings named in `values`; the others stay as they are (or take their defaults
    when the archive has no settings yet)."""
    site = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
    for field, value in values.items():
        setattr(site, field, value)
    site.save()
    return site

"""Every `|safe` in the templates prints a field that is sanitised before it is stored.

The XSS tests show the known fields are clean whichever door they came in by (forms, eFiction
import, load-dump); this test makes a new `|safe` on another field fail until someone has made
sure that field is cleaned too, and added it here with where that happens.
"""

from __future__ import annotations

import re
from pathlib import Path

# field -> where every write of it is cleaned
SANITISED = {
    "body": "chapters: stories.actions (sanitize); reviews: community.actions._clean_text; "
    "news posts and pages: news.actions (sanitize)",
    "note": "favourites: community.actions._as_html (favourite_add and favourite_import)",
    "summary": "stories, series, challenges: stories.actions, importers.actions (sanitize)",
    "notes": "stories and chapters: stories.actions (sanitize, sanitizer for imports)",
    "end_notes": "chapters: stories.actions (sanitize, sanitizer for imports)",
    "bio": "accounts.actions.profile_update; importers.load.kinds (members)",
    "welcome": "staff in the admin; imports: importers.actions.site_settings_import",
    "footer": "staff in the admin; imports: importers.actions.site_settings_import",
    "preview": "stories.forms.ChapterForm: stories.uploads.to_html / read_upload",
}
TEMPLATES = Path(__file__).resolve().parent.parent / "fabula" / "templates"
_SAFE = re.compile(r"\{\{\s*([\w.]+)\|safe\s*\}\}")


def test_every_safe_prints_a_sanitised_field():
    found = {
        (path.relative_to(TEMPLATES).as_posix(), name)
        for path in TEMPLATES.rglob("*.html")
        for name in _SAFE.findall(path.read_text(encoding="utf-8"))
    }
    assert len(found) >= 20  # the pattern finds what is there
    unknown = sorted((path, name) for path, name in found if name.split(".")[-1] not in SANITISED)
    assert unknown == []

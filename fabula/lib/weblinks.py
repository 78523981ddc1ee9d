"""The one rule for a web address that a member, or an old archive, gives us (a profile's web
site): http or https only. The profile form, the `profile_update` action, the eFiction converter
and the dump loader all ask `web_address`, so a `javascript:` or `data:` link cannot reach the
author page by any door.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

# An address typed without its scheme ("example.org") is taken for https, as Django 6 will take
# it: every form field of a web address says so (`assume_scheme`), the admin's through
# `ADMIN_WEB_ADDRESSES` (a ModelAdmin's `formfield_overrides`).
ASSUMED_SCHEME = "https"
ADMIN_WEB_ADDRESSES: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": ASSUMED_SCHEME}
}

# Django's URL check narrowed to the two schemes a reader's browser should follow from a profile.
# (Its own code, so a form field's "invalid" message does not replace this one.)
validate_web_address = URLValidator(
    schemes=["http", "https"],
    message="Give a web address starting with http:// or https://.",
    code="web_address",
)


def web_address(value: str) -> str | None:
    """`value` stripped if it is a web address we link to, '' for nothing, None if refused."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_web_address(value)
    except ValidationError:
        return None
    return value

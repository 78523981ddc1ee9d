"""The taxonomy a new archive starts with: AO3's five ratings with their gates, two class kinds,
Genres and Warnings (AO3's archive warnings), and the empty Categories and Characters kinds that
staff fill with the archive's fandoms (the site's menu links to Categories).

They are written once, by the data migration `0002_first_run_defaults`, into an archive that has
no ratings and no tag kinds yet; an archive already in use keeps its own. A migration runs once
per database, so staff may rename, edit or delete them afterwards and nothing brings them back.

`install` takes the model classes it writes with, so that the migration can hand it the
historical models of its state (the current ones must not be used inside a migration).
"""

from __future__ import annotations

from typing import Any

ADULT_WARNING = (
    "This story may contain explicit sex, graphic violence or other material meant for adult "
    "readers only."
)

RATINGS: tuple[dict[str, Any], ...] = (
    {"name": "General Audiences", "description": "Suitable for every reader."},
    {
        "name": "Teen And Up Audiences",
        "description": "May not suit readers under 13: some violence, language or innuendo.",
    },
    {
        "name": "Mature",
        "description": "Adult themes, sex or violence, described without being graphic.",
        "warning": True,
        "warning_text": "This story is rated Mature: it deals with adult themes, sex or violence.",
    },
    {
        "name": "Explicit",
        "description": "Graphic sex, violence or other adult material.",
        "age_consent": True,
        "warning": True,
        "warning_text": ADULT_WARNING,
    },
    {
        "name": "Not Rated",
        "description": "The author chose not to rate it: read it as you would an Explicit story.",
        "age_consent": True,
        "warning": True,
        "warning_text": "The author has not rated this story. " + ADULT_WARNING,
    },
)

# The empty kinds for fandoms and their characters, as eFiction's categories and characters.
EMPTY_KINDS: tuple[dict[str, str], ...] = (
    {"slug": "categories", "name": "Categories", "role": "category"},
    {"slug": "characters", "name": "Characters", "role": "character"},
)

# A class kind: slug, label, whether a story must carry one, and its tags. eFiction numbers
# class types from 1 (its `type_id=` links), so the two kinds take 1 and 2.
CLASS_KINDS: tuple[dict[str, Any], ...] = (
    {
        "slug": "genres",
        "name": "Genres",
        "required": False,
        "tags": (
            "Adventure",
            "Angst",
            "Drama",
            "Fluff",
            "Horror",
            "Humour",
            "Hurt/Comfort",
            "Mystery",
            "Romance",
            "Tragedy",
        ),
    },
    {
        "slug": "warnings",
        "name": "Warnings",
        "required": True,
        "tags": (
            "No archive warnings apply",
            "Author chose not to use archive warnings",
            "Graphic violence",
            "Major character death",
            "Rape or non-consent",
            "Underage sex",
        ),
    },
)


def install(*, rating_model: Any, kind_model: Any, tag_model: Any) -> bool:
    """Write the defaults into an archive with no ratings and no tag kinds; True if it did."""
    if rating_model.objects.exists() or kind_model.objects.exists():
        return False
    for order, spec in enumerate(RATINGS, start=1):
        rating_model.objects.create(order=order, **spec)
    for order, spec in enumerate(EMPTY_KINDS, start=1):
        kind_model.objects.create(order=order, **spec)
    for order, spec in enumerate(CLASS_KINDS, start=len(EMPTY_KINDS) + 1):
        kind = kind_model.objects.create(
            slug=spec["slug"],
            name=spec["name"],
            role="class",
            legacy_id=order - len(EMPTY_KINDS),
            multiple=True,
            required=spec["required"],
            order=order,
        )
        for number, name in enumerate(spec["tags"], start=1):
            tag_model.objects.create(kind=kind, name=name, legacy_id=number, order=number)
    return True

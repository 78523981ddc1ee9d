"""The first-run checklist on the admin's home page: what a new archive's staff still have to
do before members arrive. It shows until every step is done."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from fabula.conf.models import site_settings
from fabula.taxonomy.models import Rating, Tag, TagKind


@dataclass(frozen=True)
class Step:
    title: str
    hint: str
    url: str
    done: bool


def first_run_steps() -> list[Step]:
    site = site_settings()
    settings_url = reverse("admin:conf_sitesettings_change", args=[1])
    return [
        Step(
            "Site settings",
            "The archive's name, address, slogan and the welcome text on the home page.",
            settings_url,
            done=bool(site.welcome.strip()),
        ),
        Step(
            "Taxonomy",
            "The ratings, genres and warnings are ready; add the fandoms stories are filed "
            "under as tags of the kind Categories, and their characters.",
            reverse("admin:taxonomy_tag_changelist"),
            done=Rating.objects.exists()
            and Tag.objects.filter(kind__role=TagKind.Role.CATEGORY).exists(),
        ),
        Step(
            "Terms",
            "The rules members accept when they join and post a story.",
            settings_url,
            done=bool(site.terms.strip()),
        ),
    ]

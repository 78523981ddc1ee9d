"""Series (nested, open, moderated or closed) and the challenges stories answer."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fabula.accounts.models import User
from fabula.conf.markup import sanitize
from fabula.lib.changes import changed
from fabula.lib.db import keep_ids_ahead
from fabula.lib.refusals import ActionRefused
from fabula.lib.words import tidy_title
from fabula.stories.actions.stories import clean_title
from fabula.stories.models import (
    Challenge,
    Series,
    SeriesEntry,
    Story,
)


@transaction.atomic
def series_create(
    *,
    owner: User,
    title: str,
    summary: str = "",
    openness: str = Series.Openness.CLOSED,
    series_id: int | None = None,
    created_at: datetime | None = None,
) -> Series:
    """A new series (`series_id` and `created_at`: an import's, kept)."""
    series = Series.objects.create(
        id=series_id,
        owner=owner,
        title=tidy_title(title),
        summary=sanitize(summary),
        openness=openness,
        created_at=created_at or timezone.now(),
    )
    if series_id is not None:
        keep_ids_ahead(Series)
    changed()
    return series


def series_add(
    *,
    series: Series,
    story: Story | None = None,
    subseries: Series | None = None,
    confirmed: bool = True,
) -> SeriesEntry:
    """Put a story or a sub-series at the end of a series."""
    if (story is None) == (subseries is None):
        raise ActionRefused(_("A series entry holds a story or a sub-series, not both."))
    if subseries is not None and _contains(subseries, series):
        raise ActionRefused(_("A series cannot contain itself."))
    position = (series.entries.aggregate(p=Max("position"))["p"] or 0) + 1
    entry = SeriesEntry.objects.create(
        series=series, story=story, subseries=subseries, confirmed=confirmed, position=position
    )
    changed(series=series)
    return entry


def _contains(outer: Series, inner: Series) -> bool:
    if outer.pk == inner.pk:
        return True
    children = Series.objects.filter(parent_entries__series=outer)
    return any(_contains(child, inner) for child in children)


def challenge_create(
    *, title: str, owner: User | None = None, challenger: str = "", summary: str = ""
) -> Challenge:
    challenge = Challenge.objects.create(
        title=tidy_title(title), owner=owner, challenger=challenger, summary=sanitize(summary)
    )
    changed()
    return challenge


@transaction.atomic
def series_update(*, series: Series, title: str, summary: str = "", openness: str) -> Series:
    series.title = clean_title(title, "series")
    series.summary = sanitize(summary)
    series.openness = openness
    series.save(update_fields=["title", "summary", "openness"])
    changed(series=series)
    return series


@transaction.atomic
def series_add_work(
    *, series: Series, by: User, story: Story | None = None, subseries: Series | None = None
) -> SeriesEntry:
    """A member puts their story or series into a series: at once if they own the series or it
    is open, waiting for the owner if it is moderated."""
    exists = (
        series.entries.filter(story=story) if story else series.entries.filter(subseries=subseries)
    )
    if exists.exists():
        raise ActionRefused(_("That is already in this series."))
    own = series.owner_id == by.pk
    confirmed = own or series.openness == Series.Openness.OPEN
    return series_add(series=series, story=story, subseries=subseries, confirmed=confirmed)


def series_confirm_entry(*, entry: SeriesEntry) -> None:
    SeriesEntry.objects.filter(pk=entry.pk).update(confirmed=True)
    changed()


@transaction.atomic
def series_remove_entry(*, entry: SeriesEntry) -> None:
    series = entry.series
    entry.delete()
    for position, pk in enumerate(series.entries.values_list("pk", flat=True), start=1):
        SeriesEntry.objects.filter(pk=pk).update(position=position)
    changed()


@transaction.atomic
def series_delete(*, series: Series) -> None:
    """Delete a series; its stories stay, only their places in it go."""
    series.delete()
    changed()

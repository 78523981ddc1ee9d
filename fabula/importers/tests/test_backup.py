"""`fabula write-dump` and `fabula load-dump`: an archive written out and restored is the same."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from fabula.accounts.models import User
from fabula.community.models import Favourite, Kudos, Review, Subscription
from fabula.importers.dump import KINDS, Dump
from fabula.importers.models import ImportRecord
from fabula.stories.models import Challenge, Chapter, Series, SeriesEntry, Story
from fabula.taxonomy.models import Rating, Tag, TagKind


def empty_the_archive() -> None:
    for model in (
        Review,
        Favourite,
        Kudos,
        Subscription,
        SeriesEntry,
        Series,
        Chapter,
        Story,
        Challenge,
        User,
        ImportRecord,
    ):
        model.objects.all().delete()
    while Tag.objects.exists():
        Tag.objects.filter(children__isnull=True).delete()
    TagKind.objects.all().delete()
    Rating.objects.all().delete()


def normalised(dump: Dump) -> dict:
    """The dump's records, with tag and kind keys (new row ids after a restore) named instead."""
    kinds = {k["key"]: k["slug"] for k in dump.records("tag_kinds")}
    tags = {t["key"]: (kinds[t["kind"]], t["name"]) for t in dump.records("tags")}
    result = {}
    for kind in KINDS:
        rows = []
        for row in dump.records(kind):
            if kind == "tag_kinds":
                row["key"] = row["slug"]
            if kind == "tags":
                row.update(
                    key=tags[row["key"]],
                    kind=kinds[row["kind"]],
                    parent=tags.get(row["parent"]),
                    synonym_of=tags.get(row["synonym_of"]),
                )
            if "tags" in row and kind != "tags":
                row["tags"] = [tags[t] for t in row["tags"]]
            rows.append(row)
        result[kind] = rows
    return result


def test_an_archive_written_and_restored_is_the_same(imported, tmp_path):
    """And its backup, written again after the restore, is byte for byte the first one."""
    story = Story.objects.get(pk=1)
    Kudos.objects.create(story=story, user_id=24)
    Subscription.objects.create(user_id=24, author_id=2)
    call_command("write_dump", str(tmp_path / "a"), no_progress=True, stdout=StringIO())
    before = Dump(tmp_path / "a")
    assert (
        before.count("stories") == 30
        and before.count("chapters") == 83
        and before.count("reviews") == 96
    )
    empty_the_archive()
    out = StringIO()
    call_command("load_dump", str(tmp_path / "a"), no_progress=True, stdout=out)
    assert "stories              30 read      30 imported       0 skipped" in out.getvalue()
    assert Story.objects.get(pk=1).kudos_count == 1
    call_command("write_dump", str(tmp_path / "b"), no_progress=True, stdout=StringIO())
    first, second = normalised(before), normalised(Dump(tmp_path / "b"))
    for kind in KINDS:
        assert second[kind] == first[kind], kind
    assert Dump(tmp_path / "b").settings == before.settings
    # The restored archive's backup is the same bytes: nothing re-stamped, no id renamed.
    files = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert "manifest.json" in files and "tags.jsonl" in files
    for name in files:
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes(), name


def test_load_dump_refuses_what_is_not_a_dump(db, tmp_path):
    from django.core.management.base import CommandError

    try:
        call_command("load_dump", str(tmp_path), no_progress=True)
    except CommandError as error:
        assert "no manifest.json" in str(error)
    else:
        raise AssertionError("an empty folder was loaded")

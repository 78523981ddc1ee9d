"""Nothing doubled, nothing lost: reruns, interrupted imports and damaged sources."""

from __future__ import annotations

import pytest

from fabula.community.models import Favourite, Review
from fabula.importers.load import ALREADY, load_dump
from fabula.importers.models import ImportRecord
from fabula.importers.sources.efiction.convert import ConversionError
from fabula.importers.tests.conftest import Altered, convert_to
from fabula.stories import actions
from fabula.stories.models import Chapter, SeriesEntry, Story, StoryTag


def snapshot() -> dict:
    return {
        "stories": list(Story.objects.order_by("pk").values()),
        "chapters": list(
            Chapter.objects.order_by("pk").values_list("pk", "story_id", "position", "body")
        ),
        "tags": StoryTag.objects.count(),
        "entries": SeriesEntry.objects.count(),
        "reviews": list(Review.objects.order_by("pk").values_list("pk", "parent_id", "body")),
        "favourites": Favourite.objects.count(),
        "records": ImportRecord.objects.count(),
    }


def test_a_rerun_changes_nothing(imported, fixture_dump):
    before = snapshot()
    report = load_dump(fixture_dump)
    assert snapshot() == before
    for kind, tally in report.kinds.items():
        assert tally.imported == 0, kind
        assert set(tally.skipped) <= {ALREADY}, kind


def test_an_interrupted_import_reruns_to_completion(db, fixture_dump, monkeypatch):
    calls = {"n": 0}
    real = actions.chapters_import

    def crash_on_the_third_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")
        return real(**kwargs)

    monkeypatch.setattr(actions, "chapters_import", crash_on_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        load_dump(fixture_dump, batch=10)
    assert Story.objects.count() == 30
    assert Chapter.objects.count() == 20  # two batches of ten, the third rolled back
    monkeypatch.setattr(actions, "chapters_import", real)
    report = load_dump(fixture_dump, batch=10)
    assert report.kinds["chapters"].imported == 63
    assert report.kinds["chapters"].skipped == {ALREADY: 20}
    assert Chapter.objects.count() == 83
    assert Story.objects.get(pk=2).chapter_count == 6
    assert Review.objects.count() == 96
    assert ImportRecord.objects.filter(kind="chapters").count() == 83


def test_damaged_sources_are_reported_item_by_item(db, fixture_tables, tmp_path):
    def orphan(row):  # story 27 points at an author who is gone
        return {**row, "uid": 9999} if row["sid"] == 27 else row

    damaged = Altered(
        fixture_tables, drop={"fanfiction_favorites"}, change={"fanfiction_stories": orphan}
    )
    report = load_dump(convert_to(tmp_path, damaged))
    assert (
        "favourites: the table fanfiction_favorites is missing: no favourites imported"
        in report.problems
    )
    assert "stories 27: its author uid 9999 does not exist: story not imported" in report.problems
    assert (
        "chapters 110: its story 27 was not imported" in " ".join(report.problems)
        or not Chapter.objects.filter(story_id=27).exists()
    )
    assert report.kinds["stories"].read == 30 and report.kinds["stories"].imported == 29
    assert sum(report.kinds["stories"].skipped.values()) == 1
    assert Story.objects.count() == 29 and not Story.objects.filter(pk=27).exists()
    assert Chapter.objects.count() == 82
    assert Favourite.objects.count() == 0


def test_chapter_files_in_legacy_encodings_and_undecodable_ones(db, fixture_tables, tmp_path):
    """store = files: text from stories/<uid>/<chapid>.txt; a bad file is reported, the rest
    comes."""
    stories = tmp_path / "stories"

    def in_files(row):
        folder = stories / str(row["uid"])
        folder.mkdir(parents=True, exist_ok=True)
        if row["chapid"] == 1:
            data = "<p>Caf\u00e9 \u201cquoted\u201d</p>".encode("cp1252")
        elif row["chapid"] == 2:
            data = b"<p>\x81\x8d\x8f\x90\x9d broken</p>"  # neither UTF-8 nor Windows-1252
        elif row["chapid"] == 3:
            data = None  # absent
        else:
            data = row["storytext"].encode("utf-8")
        if data is not None:
            (folder / f"{row['chapid']}.txt").write_bytes(data)
        return {**row, "storytext": ""}

    def store_files(row):
        return {**row, "store": "files"}

    damaged = Altered(
        fixture_tables, change={"fanfiction_chapters": in_files, "fanfiction_settings": store_files}
    )
    dump = convert_to(tmp_path / "dump", damaged, stories_dir=stories)
    report = load_dump(dump)
    problems = " | ".join(report.problems)
    assert "chapters 2: its file" in problems and "is not UTF-8 or Windows-1252 text" in problems
    assert "chapters 3: its file" in problems and "cannot be read" in problems
    assert Chapter.objects.get(pk=1).body == "<p>Café “quoted”</p>"
    assert Chapter.objects.get(pk=59).body.startswith("<p>“It’s a <em>mug</em>")
    assert Chapter.objects.count() == 81


def test_a_site_without_stories_is_refused(fixture_tables, tmp_path):
    with pytest.raises(ConversionError, match="fanfiction_chapters is missing"):
        convert_to(tmp_path, Altered(fixture_tables, drop={"fanfiction_chapters"}))


def test_a_bad_row_in_a_dump_is_skipped_alone(db, fixture_dump, tmp_path):
    """A dump not made by the converter (hand-edited, or from another tool): two chapters of
    sid 1 claim place 1. The second is refused by the database, reported, and the rest loads."""
    import json
    import shutil

    folder = tmp_path / "edited"
    shutil.copytree(fixture_dump.folder, folder)
    lines = (folder / "chapters.jsonl").read_text(encoding="utf-8").splitlines()
    chapters = [json.loads(line) for line in lines]
    for chapter in chapters:
        if chapter["id"] == 2:
            chapter["position"] = 1
    (folder / "chapters.jsonl").write_text(
        "\n".join(json.dumps(c, ensure_ascii=False) for c in chapters) + "\n", encoding="utf-8"
    )
    from fabula.importers.dump import Dump

    report = load_dump(Dump(folder))
    assert report.kinds["chapters"].imported == 82
    assert [p for p in report.problems if p.startswith("chapters 2: IntegrityError")]
    assert not Chapter.objects.filter(pk=2).exists()
    assert Chapter.objects.filter(story_id=1).count() == 3
    assert not ImportRecord.objects.filter(kind="chapters", key="2").exists()
    assert Review.objects.filter(
        story_id=1, chapter__isnull=True
    ).exists()  # its review stays, on the story


def test_web_sites_come_from_the_profile_fields(db, fixture_tables, tmp_path):
    from fabula.accounts.models import User

    class WithProfile(Altered):
        def rows(self, table):
            if table == "fanfiction_authorinfo":
                yield {"uid": 2, "field": 2, "info": "https://night.example.org"}  # website
                yield {"uid": 2, "field": 11, "info": "undisclosed"}  # gender
                return
            yield from super().rows(table)

    report = load_dump(convert_to(tmp_path, WithProfile(fixture_tables)))
    assert User.objects.get(pk=2).website == "https://night.example.org"
    assert (
        "members: 1 values of the profile field 'gender': not imported (no such field in Fabula)"
        in report.problems
    )

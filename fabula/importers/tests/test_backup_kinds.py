"""The kinds added to the dump after its first version (gifts, related works, locked stories):
a backup carries them, a restore brings each back, and a dump without them still loads."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from fabula.importers.dump import Dump
from fabula.importers.models import ImportRecord
from fabula.importers.tests.test_backup import empty_the_archive
from fabula.stories.models import Gift, Story, StoryRelation

NEW_FILES = ("gifts", "relations")


def backup(folder: Path) -> Dump:
    call_command("write_dump", str(folder), no_progress=True, stdout=StringIO())
    return Dump(folder)


def restore(folder: Path) -> str:
    out = StringIO()
    call_command("load_dump", str(folder), no_progress=True, stdout=out)
    return out.getvalue()


def assert_same_bytes(a: Path, b: Path) -> None:
    files = sorted(path.name for path in a.iterdir())
    assert files == sorted(path.name for path in b.iterdir())
    for name in files:
        assert (b / name).read_bytes() == (a / name).read_bytes(), name


@pytest.fixture
def archive(imported):
    """The eFiction fixture with a gift to a member (refused), one to a name, a related work
    here (approved), one elsewhere (waiting) and a locked story."""
    now = timezone.now().replace(microsecond=0)
    one, two, three = Story.objects.order_by("pk")[:3]
    member = one.authors.order_by("pk")[0]
    Gift.objects.create(story=two, recipient=member, refused_at=now, announced_at=now)
    Gift.objects.create(story=one, name="Aunt Mildred")
    StoryRelation.objects.create(
        story=two,
        kind=StoryRelation.Kind.REMIX,
        original=one,
        answer=StoryRelation.Answer.APPROVED,
        announced_at=now,
        answered_at=now,
    )
    StoryRelation.objects.create(
        story=three,
        kind=StoryRelation.Kind.TRANSLATION,
        url="https://example.org/works/7",
        title="Le original",
    )
    Story.objects.filter(pk=three.pk).update(locked=True)
    return {"one": one.pk, "two": two.pk, "three": three.pk, "member": member.pk}


def test_gifts_relations_and_locked_survive_a_backup_and_restore(archive, tmp_path):
    before = backup(tmp_path / "a")
    assert before.count("gifts") == 2 and before.count("relations") == 2
    empty_the_archive()
    assert not Gift.objects.exists() and not StoryRelation.objects.exists()
    report = restore(tmp_path / "a")
    assert "gifts                 2 read       2 imported       0 skipped" in report
    assert "relations             2 read       2 imported       0 skipped" in report
    refused = Gift.objects.get(story_id=archive["two"])
    assert refused.recipient_id == archive["member"] and refused.refused_at is not None
    named = Gift.objects.get(story_id=archive["one"])
    assert named.name == "Aunt Mildred" and named.recipient is None and named.refused_at is None
    remix = StoryRelation.objects.get(story_id=archive["two"])
    assert remix.original_id == archive["one"] and remix.answer == StoryRelation.Answer.APPROVED
    assert remix.kind == StoryRelation.Kind.REMIX
    elsewhere = StoryRelation.objects.get(story_id=archive["three"])
    assert elsewhere.url == "https://example.org/works/7" and elsewhere.title == "Le original"
    assert elsewhere.answer == StoryRelation.Answer.WAITING
    assert Story.objects.get(pk=archive["three"]).locked
    assert not Story.objects.get(pk=archive["one"]).locked
    # A rerun skips every item.
    again = restore(tmp_path / "a")
    assert (
        "gifts                 2 read       0 imported       2 skipped (2 already imported)"
        in again
    )
    assert Gift.objects.count() == 2 and StoryRelation.objects.count() == 2
    # The restored archive's backup is the same bytes.
    backup(tmp_path / "b")
    assert_same_bytes(tmp_path / "a", tmp_path / "b")


def test_a_story_hidden_by_a_collection_stays_hidden_after_a_restore(archive, tmp_path):
    """Collections are not in a dump yet; the flags they set on a story are, so a restore never
    shows an unrevealed story or an anonymous story's authors."""
    from django.contrib.auth.models import AnonymousUser

    from fabula.stories.permissions import listed_stories

    Story.objects.filter(pk=archive["one"]).update(unrevealed=True, anonymous=True)
    Story.objects.filter(pk=archive["two"]).update(anonymous=True)
    backup(tmp_path / "a")
    empty_the_archive()
    restore(tmp_path / "a")
    one, two = Story.objects.get(pk=archive["one"]), Story.objects.get(pk=archive["two"])
    assert one.unrevealed and one.anonymous
    assert two.anonymous and not two.unrevealed
    assert not listed_stories(AnonymousUser()).filter(pk=one.pk).exists()
    backup(tmp_path / "b")
    assert_same_bytes(tmp_path / "a", tmp_path / "b")


def test_a_dump_without_the_new_files_still_loads(archive, tmp_path):
    """An older backup: no gifts.jsonl, relations.jsonl, nor counts for them."""
    folder = tmp_path / "old"
    backup(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    for kind in NEW_FILES:
        (folder / f"{kind}.jsonl").unlink()
        manifest["counts"].pop(kind, None)
        manifest["read"].pop(kind, None)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    empty_the_archive()
    report = restore(folder)
    assert "stories              30 read      30 imported       0 skipped" in report
    assert Story.objects.count() == 30
    assert not Gift.objects.exists() and not StoryRelation.objects.exists()


def _append(folder: Path, kind: str, record: dict) -> None:
    with open(folder / f"{kind}.jsonl", "a", encoding="utf-8") as file:
        file.write(json.dumps(record) + "\n")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["counts"][kind] = manifest["counts"].get(kind, 0) + 1
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_corrupt_gifts_and_relations_are_reported_and_skipped_alone(archive, tmp_path):
    folder = tmp_path / "edited"
    backup(folder)
    _append(folder, "gifts", {"story": 999999, "recipient": None, "name": "Nobody"})
    _append(folder, "gifts", {"story": archive["one"], "recipient": 999999, "name": ""})
    _append(
        folder,
        "relations",
        {
            "story": archive["one"],
            "kind": "inspired",
            "original": None,
            "url": "javascript:alert(1)",
            "title": "x",
        },
    )
    _append(
        folder,
        "relations",
        {"story": archive["one"], "kind": "inspired", "original": 999999, "url": ""},
    )
    _append(
        folder,
        "relations",
        {"story": archive["one"], "kind": "sequel", "original": archive["two"], "url": ""},
    )
    empty_the_archive()
    report = restore(folder)
    assert "gifts                 4 read       2 imported       2 skipped" in report
    assert "relations             5 read       2 imported       3 skipped" in report
    assert "gifts 999999:name:Nobody: its story 999999 was not imported" in report
    assert f"gifts {archive['one']}:member:999999: its recipient 999999 was not imported" in report
    assert (
        f"relations {archive['one']}:url:javascript:alert(1): its address "
        "'javascript:alert(1)' is no web address" in report
    )
    assert (
        f"relations {archive['one']}:story:999999: its original 999999 was not imported" in report
    )
    assert "its kind 'sequel' is not one Fabula knows" in report
    # Nothing else changed: the good ones are back, nothing of the bad ones, none recorded.
    assert Gift.objects.count() == 2 and StoryRelation.objects.count() == 2
    assert not StoryRelation.objects.filter(url__startswith="javascript").exists()
    assert ImportRecord.objects.filter(kind="gifts").count() == 2
    assert ImportRecord.objects.filter(kind="relations").count() == 2
    assert Story.objects.count() == 30


@pytest.fixture
def lists(imported):
    """A public list of two stories in a chosen order with notes, and a private empty one."""
    from fabula.community.models import ReadingList, ReadingListEntry

    first, second = Story.objects.order_by("pk")[3:5]
    owner = Story.objects.order_by("pk")[0].authors.order_by("pk")[0]
    shown = ReadingList.objects.create(owner=owner, name="Comfort reads", public=True)
    ReadingListEntry.objects.create(
        reading_list=shown, story=second, position=0, note="<p>Read <em>this</em> first</p>"
    )
    ReadingListEntry.objects.create(reading_list=shown, story=first, position=1, note="")
    hidden = ReadingList.objects.create(owner=owner, name="Later", public=False)
    return {"shown": shown.pk, "hidden": hidden.pk, "order": [second.pk, first.pk]}


def test_reading_lists_survive_a_backup_and_restore(lists, tmp_path):
    from fabula.community.models import ReadingList

    before = backup(tmp_path / "a")
    assert before.count("reading_lists") == 2
    empty_the_archive()
    assert not ReadingList.objects.exists()
    report = restore(tmp_path / "a")
    assert "reading_lists         2 read       2 imported       0 skipped" in report
    shown = ReadingList.objects.get(pk=lists["shown"])
    assert shown.public and shown.name == "Comfort reads"
    entries = list(shown.entries.order_by("position"))
    assert [e.story_id for e in entries] == lists["order"]
    assert entries[0].note == "<p>Read <em>this</em> first</p>" and entries[1].note == ""
    hidden = ReadingList.objects.get(pk=lists["hidden"])
    assert not hidden.public and not hidden.entries.exists()
    backup(tmp_path / "b")
    assert_same_bytes(tmp_path / "a", tmp_path / "b")


def test_a_reading_list_entry_of_an_unknown_story_is_left_out_and_notes_sanitised(lists, tmp_path):
    from fabula.community.models import ReadingList

    folder = tmp_path / "edited"
    backup(folder)
    rows = [json.loads(line) for line in (folder / "reading_lists.jsonl").read_text().splitlines()]
    shown = next(r for r in rows if r["id"] == lists["shown"])
    shown["entries"].append({"story": 999999, "position": 2, "note": ""})
    shown["entries"][1]["note"] = (
        '<p>Lovely</p><script>alert(1)</script><a href="javascript:x()">hi</a>'
    )
    (folder / "reading_lists.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    _append(folder, "reading_lists", {"id": 999, "owner": 999999, "name": "Ghost", "entries": []})
    empty_the_archive()
    report = restore(folder)
    assert "reading_lists         3 read       2 imported       1 skipped" in report
    assert "reading_lists 999: its owner 999999 was not imported" in report
    assert f"reading_lists {lists['shown']}: its entry for story 999999 was left out" in report
    restored = ReadingList.objects.get(pk=lists["shown"])
    assert [e.story_id for e in restored.entries.order_by("position")] == lists["order"]
    note = restored.entries.order_by("position")[1].note
    assert "<script" not in note and 'href="javascript' not in note and "Lovely" in note
    assert not ReadingList.objects.filter(pk=999).exists()

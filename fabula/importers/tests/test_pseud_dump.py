"""Pseuds through imports and dumps (issue 14, item 4): an eFiction member gets one pseud, their
old pen name; a dump (version 2) carries each member's pseuds and the pseud each story and
review is signed with; a version 1 dump still loads, each member signing with their pen name."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.test import Client

from fabula.accounts.models import Pseud, User
from fabula.community import actions as community
from fabula.community.models import Review
from fabula.importers.dump import VERSION, Dump
from fabula.importers.tests.test_backup import empty_the_archive
from fabula.stories import actions
from fabula.stories.models import Story, StoryAuthor


def test_every_imported_member_signs_with_one_pseud_their_old_pen_name(imported):
    members = User.objects.count()
    assert members > 5
    assert Pseud.objects.count() == members
    assert not User.objects.exclude(pseuds__name=F("pen_name")).exists()
    assert not StoryAuthor.objects.exclude(pseud__user=F("user")).exists()
    # The old address of a member still leads to their page, which names them as before.
    client = Client()
    member = User.objects.get(pk=2)
    response = client.get("/viewuser.php?uid=2", follow=True)
    assert response.status_code == 200 and member.pen_name in response.content.decode()


def _dump(path) -> Dump:
    call_command("write_dump", str(path), no_progress=True, stdout=StringIO())
    return Dump(path)


def test_a_dump_carries_pseuds_and_signatures_and_loads_them_back(imported, tmp_path):
    member = User.objects.get(pk=2)
    pen = actions.pseud_add(user=member, name="Second Pen")
    story = Story.objects.filter(credits__user=member).order_by("pk")[0]
    actions.credit_sign(story=story, user=member, pseud=pen)
    reviewer = User.objects.get(pk=24)
    quiet = actions.pseud_add(user=reviewer, name="Quiet Reader")
    target = Story.objects.exclude(credits__user=reviewer).order_by("pk")[0]
    review = community.review_post(story=target, user=reviewer, body="Lovely.", pseud=quiet)
    dump = _dump(tmp_path / "a")
    assert dump.manifest["version"] == VERSION == 2
    row = next(r for r in dump.records("members") if r["id"] == member.pk)
    assert row["pseuds"] == [
        {"name": member.pen_name, "default": True},
        {"name": "Second Pen", "default": False},
    ]
    assert next(r for r in dump.records("stories") if r["id"] == story.pk)["pseuds"][0] == (
        "Second Pen"
    )
    plain = next(r for r in dump.records("members") if r["id"] not in (2, 24))
    assert "pseuds" not in plain  # one pseud, the pen name: written as version 1 wrote it
    empty_the_archive()
    call_command("load_dump", str(tmp_path / "a"), no_progress=True, stdout=StringIO())
    assert story.credits.get(user_id=member.pk).pseud.name == "Second Pen"
    assert Review.objects.filter(pk=review.pk, pseud__name="Quiet Reader").exists()
    assert Pseud.objects.get(user_id=member.pk, is_default=True).name == member.pen_name
    again = _dump(tmp_path / "b")
    for name in ("members.jsonl", "stories.jsonl", "reviews.jsonl"):
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()
    assert again.manifest["version"] == 2


def test_a_version_1_dump_still_loads(imported, tmp_path):
    folder = tmp_path / "old"
    _dump(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["version"] = 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    members = User.objects.count()
    empty_the_archive()
    out = StringIO()
    call_command("load_dump", str(folder), no_progress=True, stdout=out)
    assert User.objects.count() == members == Pseud.objects.count()
    assert not StoryAuthor.objects.exclude(pseud__is_default=True).exists()
    manifest["version"] = 3
    (folder / "manifest.json").write_text(json.dumps(manifest))
    try:
        call_command("load_dump", str(folder), no_progress=True, stdout=StringIO())
    except CommandError as error:
        assert "reads versions 1, 2" in str(error)
    else:
        raise AssertionError("a version 3 dump was loaded")

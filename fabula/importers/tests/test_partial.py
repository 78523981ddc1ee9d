"""An import that cannot bring the whole archive says so and changes nothing, unless asked to
load what it can (--allow-partial): a dump cut short, damaged rows, a dump folder cut or
damaged. (The probe's cut dump imported a tenth of an archive and exited 0.)"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fabula.accounts.models import User
from fabula.importers.tests.conftest import fixture_sql
from fabula.importers.tests.test_backup import empty_the_archive
from fabula.stories.models import Chapter, Story

pytestmark = pytest.mark.django_db


def _cut(text: str) -> str:
    """The file up to the first INSERT line past a third of it: whole lines, whole statements."""
    start = text.index("\nINSERT INTO `fanfiction_stories`")
    end = text.index(";\n", start) + 2
    return text[:end]


def _damaged(text: str) -> str:
    """One favourite row with a value missing."""
    return text.replace("VALUES (24,2,'AU',", "VALUES (24,'AU',", 1)


SOURCES = {
    "cut at a line boundary": (_cut, "ends without mysqldump's closing '-- Dump completed' line"),
    "a damaged row": (_damaged, "a damaged row in fanfiction_favorites: 3 values for 4 columns"),
}


@pytest.mark.parametrize("source", SOURCES)
def test_a_damaged_sql_dump_is_refused_then_allowed(source, tmp_path):
    spoil, reason = SOURCES[source]
    path = tmp_path / "site.sql"
    path.write_text(spoil(Path(fixture_sql()).read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_efiction", dump=str(path), no_progress=True, stdout=StringIO())
    assert reason in str(refused.value) and "nothing was loaded" in str(refused.value)
    assert not Story.objects.exists() and not User.objects.exists()

    out = StringIO()
    call_command(
        "import_efiction", dump=str(path), no_progress=True, allow_partial=True, stdout=out
    )
    assert "Loaded in part (--allow-partial)" in out.getvalue() and reason in out.getvalue()
    assert User.objects.exists()


def _write_backup(tmp_path: Path) -> Path:
    folder = tmp_path / "backup"
    call_command("write_dump", str(folder), no_progress=True, stdout=StringIO())
    return folder


def _cut_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")


def _garble_line(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0][: len(lines[0]) // 2] + "\n"
    path.write_text("".join(lines), encoding="utf-8")


DUMPS = {
    "cut at a line boundary": (_cut_lines, "where the manifest counts 4: the file was cut short"),
    "a damaged line": (_garble_line, "chapters.jsonl, line 1: not a JSON record (damaged)"),
}


@pytest.mark.parametrize("damage", DUMPS)
def test_a_damaged_dump_folder_is_refused_then_allowed(
    damage, archive, author, make_story, tmp_path
):
    make_story(author, "One", chapters=2)
    make_story(author, "Two", chapters=2)
    folder = _write_backup(tmp_path)
    spoil, reason = DUMPS[damage]
    spoil(folder / "chapters.jsonl")
    empty_the_archive()
    with pytest.raises(CommandError) as refused:
        call_command("load_dump", str(folder), no_progress=True, stdout=StringIO())
    assert reason in str(refused.value)
    assert not Chapter.objects.exists()  # nothing was loaded

    out = StringIO()
    call_command("load_dump", str(folder), no_progress=True, allow_partial=True, stdout=out)
    assert "Loaded in part" in out.getvalue() and reason in out.getvalue()
    assert 0 < Chapter.objects.count() < 4

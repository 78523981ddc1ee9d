"""Bad files: each is refused with its name and a line number, and imports nothing."""

import pytest

from fabula.accounts.models import User
from fabula.formats.tests.helpers import SEED_SID, import_text, write
from fabula.stories.models import Chapter, Story
from fabula.taxonomy.models import Rating, Tag, TagKind


def _nothing_imported() -> bool:
    return not any(model.objects.exists() for model in (Story, Chapter, User, Tag, TagKind, Rating))


def _refused(ran, message: str) -> None:
    assert ran.error is not None and "could not be imported" in str(ran.error)
    assert message in ran.err, ran.err


def test_html_is_another_format(db, tmp_path):
    from fabula.test import shared_path

    page = shared_path("efiction", "pages", "viewstory_printable_sid1_all.html")
    path = write(tmp_path, "story.html", open(page, "rb").read())
    _refused(
        import_text(path), f"{path}, line 1: this looks like HTML, not eFiction's printable text"
    )
    assert _nothing_imported()


def test_plain_text_of_another_kind_is_another_format(db, tmp_path):
    path = write(tmp_path, "notes.txt", "Shopping list\neggs\nmilk\n")
    _refused(import_text(path), f"{path}, line 2: expected 'Summary:' on the second line")
    assert _nothing_imported()


def test_an_epub_is_another_format(db, tmp_path):
    path = write(tmp_path, "story.epub", b"PK\x03\x04" + bytes(range(256)))
    _refused(import_text(path), f"{path}, line 1: this is a ZIP archive (an EPUB?)")


def test_a_truncated_file(db, tmp_path, seed_bytes):
    cut = seed_bytes[: len(seed_bytes) // 2]
    last_line = cut.count(b"\n") + 1
    path = write(tmp_path, "cut.txt", cut)
    _refused(
        import_text(path),
        f"{path}, line {last_line}: the last line should be 'This story archived at",
    )
    assert "truncated" in import_text(path).err
    assert _nothing_imported()


def test_a_file_cut_inside_the_header(db, tmp_path, seed_bytes):
    path = write(tmp_path, "header.txt", b"\n".join(seed_bytes.split(b"\n")[:9]))
    _refused(import_text(path), f"{path}, line 9: the last line should be 'This story archived at")


def test_a_missing_archived_at_line(db, tmp_path, seed_bytes):
    without = seed_bytes.rsplit(b"\n", 1)[0] + b"\n"
    path = write(tmp_path, "no-address.txt", without)
    _refused(
        import_text(path),
        f"{path}, line 351: the last line should be 'This story archived at ADDRESS'",
    )
    assert _nothing_imported()


def test_a_chapter_missing_from_the_middle(db, tmp_path, seed_bytes):
    without = seed_bytes.replace(b"\nThe Line by Night Swept\n", b"\nThe Lines by Night Swept\n")
    path = write(tmp_path, "gap.txt", without)
    _refused(
        import_text(path),
        f"{path}, line 20: chapter 3, 'The Line by Night Swept', is in the table of contents "
        "but its heading is not found",
    )


def test_a_wrong_encoding(db, tmp_path, seed_bytes):
    latin = seed_bytes.decode("utf-8").encode("windows-1252")
    offset = latin.index(b"\xa0")  # the first non-breaking space, alone on line 28
    path = write(tmp_path, "latin.txt", latin)
    _refused(import_text(path), f"{path}, line 28: not UTF-8: byte 0xa0 at offset {offset}")
    assert _nothing_imported()


def test_utf16_is_named(db, tmp_path, seed_bytes):
    path = write(tmp_path, "utf16.txt", seed_bytes.decode("utf-8").encode("utf-16"))
    _refused(import_text(path), f"{path}, line 1: the file is UTF-16")


def test_a_bad_date(db, tmp_path, seed_bytes):
    path = write(tmp_path, "date.txt", seed_bytes.replace(b"May 29, 2007", b"Someday"))
    _refused(
        import_text(path), f"{path}, line 12: 'Someday' is not a date in the site's date format"
    )


def test_an_existing_sid_is_refused_and_nothing_changes(db, tmp_path, seed_path, seed_bytes):
    assert import_text(seed_path).error is None
    counts = [model.objects.count() for model in (Story, Chapter, User, Tag, TagKind)]
    changed = write(
        tmp_path,
        "again.txt",
        seed_bytes.replace(b"by Night Swept\nSummary", b"by Someone Else\nSummary"),
    )
    _refused(
        import_text(changed),
        f"{changed}, line 352: story {SEED_SID} (“The Last Temptation of Jim Halpert”) is already "
        "in the archive; use --replace to overwrite it",
    )
    assert [model.objects.count() for model in (Story, Chapter, User, Tag, TagKind)] == counts
    assert not User.objects.filter(pen_name="Someone Else").exists()


def test_several_files_import_the_good_ones_and_report_the_bad(db, tmp_path, seed_path, seed_bytes):
    other = write(tmp_path, "other.txt", seed_bytes.replace(b"sid=1970", b"sid=1971"))
    bad = write(tmp_path, "bad.txt", seed_bytes[:1000])
    missing = tmp_path / "missing.txt"
    ran = import_text(seed_path, bad, other, missing)
    assert str(ran.error) == "2 of 4 files could not be imported"
    assert "imported story 1970" in ran.out and "imported story 1971" in ran.out
    assert f"{bad}, line " in ran.err and f"{missing}: cannot be read" in ran.err
    assert sorted(Story.objects.values_list("pk", flat=True)) == [1970, 1971]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b"Night Swept\nSummary:", b"Night Swept\nSummary:"), None),  # unchanged: imports
        ((b"Challenges: None\n", b""), "line 9: expected a line starting with 'Challenges:'"),
        (
            (b"\n1. A House Divided", b"\n1. A House Divded"),
            "line 13: no table of contents of 4 chapters",
        ),
        ((b"Chapters: 4 ", b"Chapters: 5 "), "line 13: no table of contents of 5 chapters"),
    ],
)
def test_broken_structure_names_the_line(db, tmp_path, seed_bytes, change, message):
    path = write(tmp_path, "broken.txt", seed_bytes.replace(*change))
    ran = import_text(path)
    if message is None:
        assert ran.error is None
    else:
        _refused(ran, f"{path}, {message}")
        assert _nothing_imported()

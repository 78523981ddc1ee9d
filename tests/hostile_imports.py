"""Hostile markup arriving through the two import doors: an eFiction database (`import-efiction`)
and a Fabula dump (`load-dump`). Both helpers put the payloads into every text an import brings
(favourite comments, websites, bios, summaries, notes, chapter text, reviews, the site's welcome
and footer) and load the result, so the XSS tests can fetch the pages that show them.
"""

from __future__ import annotations

from pathlib import Path

from fabula.importers.dump import Dump, DumpWriter
from fabula.importers.load import Report, load_dump
from fabula.importers.sources.efiction.tables import DumpFileTables
from fabula.lib.tests.test_weblinks import BAD_WEBSITES

__all__ = ["BAD_WEBSITES", "dump_pages", "efiction_import", "hostile_dump"]

# The ids of the hand-made dump's rows: far above the test archive's.
AUTHOR, READER, STORY, CHAPTER, SERIES = 9001, 9002, 9001, 9001, 9001


def efiction_import(folder: Path, payload: str, website: str) -> Report:
    """The eFiction fixture with `payload` as every favourite's comment and every member's bio,
    and `website` as every member's web site, converted and loaded."""
    from fabula.importers.tests.conftest import Altered, convert_to, fixture_sql

    def member(row: dict) -> dict:
        return {**row, "bio": payload, "website": website}

    def favourite(row: dict) -> dict:
        return {**row, "comments": payload}

    tables = Altered(
        DumpFileTables(fixture_sql()),
        change={"fanfiction_authors": member, "fanfiction_favorites": favourite},
    )
    return load_dump(convert_to(folder, tables))


def hostile_dump(folder: Path, payload: str, website: str) -> Dump:
    """A dump as another archive's exporter might write one, `payload` in every text."""
    with DumpWriter(folder, source="hostile:") as writer:
        writer.settings = {"welcome": payload, "footer": payload, "printer_copyright": payload}
        writer.add("ratings", {"id": 9001, "name": "Hostile rating"})
        for pk, name in [(AUTHOR, "Hostile Author"), (READER, "Hostile Reader")]:
            writer.add(
                "members",
                {"id": pk, "pen_name": name, "bio": payload, "website": website, "email": ""},
            )
        writer.add(
            "stories",
            {
                "id": STORY,
                "title": "Hostile story",
                "summary": payload,
                "notes": payload,
                "rating": 9001,
                "authors": [AUTHOR],
                "status": "published",
            },
        )
        writer.add(
            "chapters",
            {
                "id": CHAPTER,
                "story": STORY,
                "position": 1,
                "title": "One",
                "author": AUTHOR,
                "notes": payload,
                "end_notes": payload,
                "body": "<p>Words.</p>" + payload,
                "status": "published",
            },
        )
        writer.add(
            "series",
            {
                "id": SERIES,
                "title": "Hostile series",
                "summary": payload,
                "owner": AUTHOR,
                "openness": "open",
                "entries": [{"story": STORY, "confirmed": True}],
            },
        )
        writer.add(
            "reviews",
            {"key": "r", "id": 9001, "story": STORY, "chapter": CHAPTER, "user": READER}
            | {"name": "Hostile Reader", "body": payload, "rating": None},
        )
        for target, pk in [("story", STORY), ("author", AUTHOR), ("series", SERIES)]:
            writer.add("favourites", {"user": READER, target: pk, "note": payload})
    return Dump(folder)


def dump_pages() -> list[str]:
    """The pages a guest sees the hand-made dump's texts on."""
    from django.urls import reverse

    from fabula.conf.models import site_settings
    from fabula.test import chapter_url

    old = "/" + (site_settings().legacy_prefix.strip("/") + "/").lstrip("/")  # eFiction's folder
    return [
        reverse("home"),
        reverse("story", args=[STORY]),
        chapter_url(STORY, 1),
        reverse("story-full", args=[STORY]),
        reverse("author", args=[AUTHOR]),
        reverse("community:favourites", args=[READER]),
        reverse("series", args=[SERIES]),
        reverse("series-list"),
        reverse("community:story-reviews", args=[STORY]),
        f"{old}viewstory.php?sid={STORY}&action=printable&chapter=all",
        f"{old}viewstory.php?sid={STORY}&index=1",
    ]

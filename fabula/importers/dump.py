"""Fabula's archive dump: a folder of versioned JSON that holds a whole archive.

Both import stages meet here: a converter (`sources/efiction/`) writes a dump, the loader
(`load/`) reads one; `fabula write-dump` and `fabula load-dump` use the same format for
backup and restore. `docs/dump-format.md` describes every file and field.

A dump is a folder:

    manifest.json        {"format": "fabula-dump", "version": 1, "source": ..., "counts": {...}}
    settings.json        the site's settings
    <kind>.jsonl         one JSON object a line, for each kind in KINDS (in loading order)
    problems.jsonl       what the converter could not read, item by item

JSON Lines keeps a big archive streamable: neither stage holds all chapters in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

FORMAT = "fabula-dump"
VERSION = 2
# Versions this Fabula reads: 1 has no pseuds (each member signs with their pen name).
READS = (1, 2)

# In loading order: what a record refers to is loaded before it.
KINDS = (
    "ratings",
    "tag_kinds",
    "tags",
    "members",
    "challenges",
    "stories",
    "chapters",
    "series",
    "reviews",
    "favourites",
    "kudos",
    "subscriptions",
    # Added after version 1's first kinds: a dump without their files loads as before.
    "gifts",
    "relations",
    "reading_lists",
)


class DumpError(Exception):
    """A folder that is not a dump this version of Fabula can read."""


def to_json_date(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def from_json_date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class DumpWriter:
    """Writes a dump folder; use as a context manager so the manifest is written last (a dump
    without a manifest is an unfinished one, and the loader refuses it)."""

    def __init__(self, folder: str | Path, *, source: str, written_at: datetime | None = None):
        """`written_at`: what the manifest says it was written at (the clock, by default; a
        backup gives the time of the archive's newest change)."""
        self.written_at = written_at
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "manifest.json").unlink(missing_ok=True)
        self.source = source
        self.counts: dict[str, int] = {}
        self.read: dict[str, int] = {}
        self._files = {  # big buffers: the chapters are written a line of some 10 KB at a time
            kind: open(self.folder / f"{kind}.jsonl", "w", encoding="utf-8", buffering=1 << 20)
            for kind in (*KINDS, "problems")
        }
        self.settings: dict = {}

    def __enter__(self) -> DumpWriter:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close(finished=error is None)

    def add(self, kind: str, record: dict) -> None:
        # ASCII with \u escapes: twice as fast to encode as raw UTF-8 (the C encoder's fast path),
        # and the chapters are most of an import's bytes.
        self._files[kind].write(json.dumps(record) + "\n")
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def saw(self, kind: str, number: int = 1) -> None:
        """Count items read from the source (imported or not), for the report."""
        self.read[kind] = self.read.get(kind, 0) + number

    def problem(
        self, kind: str, item: str | int | None, reason: str, *, damage: bool = False
    ) -> None:
        """An item the converter could not bring over (or brought over damaged), and why.
        `damage`: the source itself is damaged there (a row unreadable, the file cut short), so
        the archive cannot come over whole; loading then needs --allow-partial."""
        record = {"kind": kind, "item": item, "reason": reason}
        self.add("problems", record | {"damage": True} if damage else record)

    def close(self, *, finished: bool = True) -> None:
        for file in self._files.values():
            file.close()
        if not finished:
            return
        (self.folder / "settings.json").write_text(
            json.dumps(self.settings, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "source": self.source,
            "written_at": to_json_date(self.written_at or datetime.now(UTC)),
            "counts": {kind: self.counts.get(kind, 0) for kind in KINDS},
            "read": self.read,
            "problems": self.counts.get("problems", 0),
        }
        (self.folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


class Readable(Protocol):
    """What the loader reads: a dump folder (`Dump`) or a one-story dump in memory
    (`StoryDump`)."""

    manifest: dict[str, Any]
    settings: dict[str, Any]

    @property
    def source(self) -> str: ...

    def count(self, kind: str) -> int: ...

    def records(self, kind: str) -> Iterator[dict]: ...

    def problems(self) -> list[dict]: ...


class Dump:
    """A dump folder, read."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        path = self.folder / "manifest.json"
        if not path.exists():
            raise DumpError(f"{self.folder} holds no manifest.json: it is not a finished dump")
        try:
            self.manifest = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise DumpError(f"{path} is not valid JSON: {error}") from error
        if self.manifest.get("format") != FORMAT:
            raise DumpError(f"{path} is not a Fabula dump (format {self.manifest.get('format')!r})")
        if self.manifest.get("version") not in READS:
            raise DumpError(
                f"{path} is a version {self.manifest.get('version')} dump; "
                f"this Fabula reads versions {', '.join(map(str, READS))}"
            )
        settings = self.folder / "settings.json"
        self.settings = (
            json.loads(settings.read_text(encoding="utf-8")) if settings.exists() else {}
        )

    @property
    def source(self) -> str:
        return self.manifest.get("source", "")

    def count(self, kind: str) -> int:
        return self.manifest.get("counts", {}).get(kind, 0)

    def records(self, kind: str) -> Iterator[dict]:
        """The records of a kind; a line that is not a JSON object is left out (`damage`
        names it, and a load refuses the dump unless it is allowed to be partial)."""
        for _number, record in self._lines(kind):
            if record is not None:
                yield record

    def _lines(self, kind: str) -> Iterator[tuple[int, dict | None]]:
        """(line number, record or None for a damaged line) for each line of a kind's file."""
        path = self.folder / f"{kind}.jsonl"
        if not path.exists():
            return
        with open(path, encoding="utf-8", errors="replace") as file:
            for number, line in enumerate(file, 1):
                if not line.isspace():  # (not strip(), which would copy every chapter's line)
                    try:
                        record = json.loads(line)
                    except ValueError:
                        record = None
                    yield number, record if isinstance(record, dict) else None

    def damage(self, *, lines: bool = True) -> list[str]:
        """What makes this dump less than whole: damaged lines, files shorter than the
        manifest counts (cut at a line boundary), and what the writer found damaged in its
        source. One pass over every file, before anything is loaded; without `lines`, only what
        the writer found (a dump it has just written in this process is whole by
        construction, and reading its every line costs as much as a tenth of an import)."""
        found = [
            f"{problem.get('kind')} {problem.get('item')}: {problem.get('reason')}"
            if problem.get("item") is not None
            else f"{problem.get('kind')}: {problem.get('reason')}"
            for problem in self.problems()
            if problem.get("damage")
        ]
        for kind in (*KINDS, "problems") if lines else ():
            read = 0
            for number, record in self._lines(kind):
                read += 1
                if record is None:
                    found.append(f"{kind}.jsonl, line {number}: not a JSON record (damaged)")
            expected = self.count(kind) if kind != "problems" else self.manifest.get("problems")
            if expected is not None and read < expected:
                found.append(
                    f"{kind}.jsonl holds {read} records where the manifest counts {expected}: "
                    "the file was cut short"
                )
        return found

    def problems(self) -> list[dict]:
        return list(self.records("problems"))


def whole_or_refused(dump: Dump, *, allow_partial: bool, just_written: bool = False) -> list[str]:
    """The dump's damage (see `Dump.damage`; `just_written`: by this process, so its lines are
    not read again), or DumpError when it has some and a partial load was not asked for: an
    archive must not come over in part without anyone saying so."""
    damage = dump.damage(lines=not just_written)
    if damage and not allow_partial:
        listed = "\n".join(f"  {line}" for line in damage[:50])
        more = f"\n  ... and {len(damage) - 50} more" if len(damage) > 50 else ""
        raise DumpError(
            f"The source is not whole, so nothing was loaded ({len(damage)} problems):\n"
            f"{listed}{more}\nLoad what can be read anyway with --allow-partial."
        )
    return damage


class StoryDump:
    """A one-story dump held in memory: what a format reader makes of one file (a story, its
    chapters, and the members, taxonomy, series and challenges it names, as named records).

    It reads like a `Dump` for the loader. `lines` tells, for a record (kind, key), the line of
    the file it was read from, so a refusal can name it."""

    def __init__(self, source: str):
        self.manifest: dict[str, Any] = {"format": FORMAT, "version": VERSION, "source": source}
        self.settings: dict[str, Any] = {}
        self.lines: dict[tuple[str, str], int] = {}
        self._records: dict[str, list[dict]] = {kind: [] for kind in KINDS}

    @property
    def source(self) -> str:
        return self.manifest["source"]

    def add(self, kind: str, record: dict, *, line: int | None = None) -> dict:
        """Add a record (once: a second record with the same key is not added); returns the
        record kept."""
        key = str(record["id"] if record.get("id") is not None else record["key"])
        for other in self._records[kind]:
            if str(other["id"] if other.get("id") is not None else other["key"]) == key:
                return other
        self._records[kind].append(record)
        if line is not None:
            self.lines[(kind, key)] = line
        return record

    def story(self) -> dict:
        return self._records["stories"][0]

    def count(self, kind: str) -> int:
        return len(self._records.get(kind, ()))

    def records(self, kind: str) -> Iterator[dict]:
        return iter(list(self._records.get(kind, ())))

    def problems(self) -> list[dict]:
        return []
